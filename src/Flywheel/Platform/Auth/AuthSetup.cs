using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Flywheel.Platform.Auth;

/// <summary>
/// Authentication: API keys as "Authorization: Bearer &lt;key&gt;" (or, for Segment clients, as the Basic-auth user
/// name), console users by cookie. Authorization: one policy per scope, named after it.
/// </summary>
public static class AuthSetup
{
    public const string KeyScheme = "ApiKey";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string Selector = "Flywheel";

    public static WebApplicationBuilder AddFlywheelAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, Selector, o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.Count > 0 ? KeyScheme : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(KeyScheme, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "flywheel.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                // An API answers 401/403; a console page sends the browser to the sign-in page and back.
                o.LoginPath = "/login";
                o.ReturnUrlParameter = "return_url";
                o.Events.OnRedirectToLogin = ctx => IsPageRequest(ctx.Request)
                    ? RedirectAsync(ctx)
                    : Status(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => Status(ctx, StatusCodes.Status403Forbidden);
            });
        var authorization = builder.Services.AddAuthorizationBuilder();
        foreach (var scope in Scopes.All)
        {
            authorization.AddPolicy(scope, p => p.RequireAuthenticatedUser().RequireClaim(Caller.ScopeClaim, scope));
        }
        return builder;
    }

    private static bool IsPageRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && !request.Path.StartsWithSegments("/api") && request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal);

    private static Task RedirectAsync(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    private static Task Status(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    public static ClaimsPrincipal PrincipalFor(KeyGrant grant, string scheme)
    {
        var claims = new List<Claim>
        {
            new(Caller.WorkspaceClaim, grant.WorkspaceId),
            new(Caller.ActorClaim, "key:" + grant.KeyId),
        };
        claims.AddRange(grant.Scopes.Select(s => new Claim(Caller.ScopeClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}

internal sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || header.Parameter is null)
        {
            return AuthenticateResult.Fail("The Authorization header is not 'Bearer <key>' or 'Basic <write key>'.");
        }
        string key;
        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            key = header.Parameter;
        }
        else if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            // Segment clients send the write key as the user name with an empty password.
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            }
            catch (FormatException)
            {
                return AuthenticateResult.Fail("The Basic credentials are not base64.");
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            key = colon >= 0 ? decoded[..colon] : decoded;
        }
        else
        {
            return AuthenticateResult.Fail($"Authorization scheme '{header.Scheme}' is not supported.");
        }
        var grant = await keys.ResolveAsync(key, Context.RequestAborted);
        if (grant is null)
        {
            return AuthenticateResult.Fail("The API key is not valid or has been revoked.");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(AuthSetup.PrincipalFor(grant, Scheme.Name), Scheme.Name));
    }
}
