using Flywheel.Modules.Workspaces.Model;
using Flywheel.Platform;
using Flywheel.Platform.Auth;
using Flywheel.Platform.State;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Flywheel.Modules.Workspaces;

/// <summary>
/// First start on an empty state store: creates the default workspace, its owner and its first two keys.
/// FLYWHEEL_ADMIN_EMAIL, FLYWHEEL_ADMIN_PASSWORD, FLYWHEEL_PUBLIC_KEY and FLYWHEEL_SECRET_KEY, when set, are used;
/// whatever is generated instead is printed once, since only hashes are kept.
/// </summary>
public sealed class Bootstrap(StateStore state, ApiKeys keys, IConfiguration configuration, TimeProvider clock, ILogger<Bootstrap> logger)
{
    public const string DefaultEmail = "admin@flywheel.local";

    public async Task RunAsync(CancellationToken ct)
    {
        await using var db = state.Open();
        if (await db.Workspaces.AnyAsync(ct))
        {
            return;
        }
        var now = clock.GetUtcNow();
        var email = (configuration["FLYWHEEL_ADMIN_EMAIL"] ?? DefaultEmail).Trim().ToLowerInvariant();
        var password = configuration["FLYWHEEL_ADMIN_PASSWORD"];
        var generatedPassword = string.IsNullOrEmpty(password);
        password = generatedPassword ? Ids.RandomToken(16) : password!;
        var publicKey = Configured(ApiKeyKind.Public, "FLYWHEEL_PUBLIC_KEY");
        var secretKey = Configured(ApiKeyKind.Secret, "FLYWHEEL_SECRET_KEY");

        var workspace = new Workspace { Id = Ids.New("ws"), Name = "Default", CreatedAt = now };
        var user = new User { Id = Ids.New("usr"), Email = email, DisplayName = "Owner", PasswordHash = "", CreatedAt = now };
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, password);
        db.Workspaces.Add(workspace);
        db.Users.Add(user);
        db.Memberships.Add(new Membership { WorkspaceId = workspace.Id, UserId = user.Id, Role = Role.Owner });
        db.ApiKeys.Add(keys.Create(workspace.Id, ApiKeyKind.Public, "Default public key", [], publicKey.Key));
        db.ApiKeys.Add(keys.Create(workspace.Id, ApiKeyKind.Secret, "Default secret key", Scopes.All, secretKey.Key));
        db.Record(workspace.Id, "system", now, "created", "workspace", workspace.Id, after: new { workspace.Name });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Nodes started at once on a new state store: the owner's unique email lets one of them create it all.
            if (!await AnotherNodeBootstrappedAsync(ct))
            {
                throw;
            }
            logger.LogInformation("Another node created the first workspace");
            return;
        }

        logger.LogInformation("Created workspace {Workspace} with owner {Email}", workspace.Id, email);
        if (generatedPassword || publicKey.Generated || secretKey.Generated)
        {
            // Printed, not logged: secrets must not end up in log aggregation.
            Console.WriteLine("Flywheel: first start. Keep these; they are shown only once.");
            Console.WriteLine($"  console login : {email} / {(generatedPassword ? password : "(FLYWHEEL_ADMIN_PASSWORD)")}");
            if (publicKey.Generated)
            {
                Console.WriteLine($"  public key    : {publicKey.Key}");
            }
            if (secretKey.Generated)
            {
                Console.WriteLine($"  secret key    : {secretKey.Key}");
            }
        }
    }

    private async Task<bool> AnotherNodeBootstrappedAsync(CancellationToken ct)
    {
        await using var db = state.Open();
        return await db.Workspaces.AnyAsync(ct);
    }

    private (string Key, bool Generated) Configured(ApiKeyKind kind, string variable)
    {
        var value = configuration[variable];
        if (string.IsNullOrWhiteSpace(value))
        {
            return (ApiKeys.NewKey(kind), true);
        }
        if (!ApiKeys.IsWellFormed(value, kind))
        {
            throw new InvalidOperationException(
                $"{variable} must start with '{(kind == ApiKeyKind.Public ? "fw_pk_" : "fw_sk_")}' and have at least 24 characters after it.");
        }
        return (value, false);
    }
}
