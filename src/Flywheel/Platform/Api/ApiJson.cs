using System.Text.Json;

namespace Flywheel.Platform.Api;

/// <summary>The API's JSON shape: snake_case names, web defaults. Audit entries use it too, so before/after read like the API.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
