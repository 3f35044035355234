using Flywheel.Modules.Analytics.Attribution;

namespace Flywheel.Tests.Modules.Analytics.Attribution;

/// <summary>Paths written the way the ChannelAttribution layout writes them: "a > b > a".</summary>
internal static class Paths
{
    public static ConversionPath Of(string path, long conversions = 1, decimal value = 0m, long nulls = 0) =>
        new([.. path.Split('>').Select(c => c.Trim()).Select(c => new Touch(c, isDirect: c == "direct"))], conversions, value, nulls);

    public static ModelAttribution Run(AttributionModel model, params ConversionPath[] paths) => AttributionEngine.Run(model, paths);
}
