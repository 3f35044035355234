using Flywheel.Platform.Counters;
using Flywheel.Platform.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flywheel.Platform.Cluster;

public sealed class ClusterOptions
{
    public const string Section = "Flywheel:Cluster";

    /// <summary>
    /// How long a lease on background work (a projection, a scheduled job) outlives its holder: a node that dies hands
    /// its work to another after at most this long. Holders renew at a third of it.
    /// </summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a node looks for what other nodes have done: events they loaded, checkpoints they moved.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>
/// This process as one node of an installation. With shared hot counters (Redis) any number of nodes may run against the
/// same stores: what must happen once — loading events, running a projection — is done under a lock or lease in the
/// counters, keyed by the installation's id so that installations sharing one Redis never meet. With in-process
/// counters the node is alone (<see cref="SharedByNodes"/> is false) and needs none of that.
/// </summary>
public sealed class ClusterNode(ICounters counters, StateStore state, IOptions<FlywheelOptions> flywheel, IOptions<ClusterOptions> options,
    TimeProvider clock, ILogger<ClusterNode> logger)
{
    private string? installationId;

    /// <summary>Whether other nodes may share the stores (the counters are Redis).</summary>
    public bool SharedByNodes => counters.SharedByNodes;

    public ClusterOptions Options { get; } = options.Value;

    /// <summary>Stable across restarts of this node: kept in its data directory, made on its first start.</summary>
    public string NodeId { get; private set; } = "";

    public string InstallationId => installationId ?? throw new InvalidOperationException("The node has not joined its installation yet.");

    /// <summary>A counters key for something the installation's nodes share.</summary>
    public string Key(string what) => $"_:platform:{InstallationId}:{what}";

    /// <summary>Reads (or, on the installation's first start, makes) the installation's id and this node's id.</summary>
    public async Task JoinAsync(CancellationToken ct)
    {
        NodeId = ReadOrMakeNodeId(Path.Combine(flywheel.Value.FullDataDir, "node-id"));
        await using (var db = state.Open())
        {
            installationId = (await db.Installation.AsNoTracking().FirstOrDefaultAsync(ct))?.Id;
        }
        if (installationId is null)
        {
            try
            {
                await using var db = state.Open();
                db.Installation.Add(new Installation { Id = Ids.New("inst"), CreatedAt = clock.GetUtcNow() });
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another node made it first: the key admits one row, and theirs is the one.
            }
            await using var again = state.Open();
            installationId = (await again.Installation.AsNoTracking().FirstAsync(ct)).Id;
        }
        logger.LogInformation("Node {Node} of installation {Installation}; {Mode}", NodeId, installationId,
            SharedByNodes ? "other nodes may share the stores (hot counters are shared)" : "the only node (hot counters are in this process)");
    }

    private static string ReadOrMakeNodeId(string path)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }
        var id = Ids.New("node");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, id);
        return id;
    }

    /// <summary>
    /// Runs <paramref name="work"/> while this node holds the lease <paramref name="name"/>, and again each time it takes
    /// the lease back after losing it; the token given to the work is cancelled when the lease is lost. Alone, the node
    /// simply runs the work. Work must tolerate being cut off anywhere (it checkpoints in the state store).
    /// </summary>
    public async Task WhileLeaderAsync(string name, Func<CancellationToken, Task> work, CancellationToken stopping)
    {
        if (!SharedByNodes)
        {
            await work(stopping);
            return;
        }
        while (!stopping.IsCancellationRequested)
        {
            HeldLease? lease = null;
            try
            {
                lease = await TryTakeAsync(name, stopping);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not ask for the lease {Lease}", name);
            }
            if (lease is null)
            {
                await Task.Delay(Options.LeaseTtl / 5, clock, stopping);
                continue;
            }
            await using (lease)
            {
                logger.LogInformation("Node {Node} took the lease {Lease}", NodeId, name);
                using var held = CancellationTokenSource.CreateLinkedTokenSource(stopping, lease.Lost);
                try
                {
                    await work(held.Token);
                }
                catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !stopping.IsCancellationRequested)
                {
                    logger.LogWarning("Node {Node} lost the lease {Lease}; another node carries on", NodeId, name);
                }
            }
        }
    }

    /// <summary>Takes the lease <paramref name="name"/>, waiting while another node holds it.</summary>
    public async Task<HeldLease> TakeAsync(string name, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await TryTakeAsync(name, ct) is { } lease)
            {
                return lease;
            }
            // Short waits: a load holds its lock for one commit.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50, 5 * (attempt + 1))), clock, ct);
        }
    }

    /// <summary>Takes the lease <paramref name="name"/> unless another node holds it; it is renewed until disposed.</summary>
    public async Task<HeldLease?> TryTakeAsync(string name, CancellationToken ct)
    {
        var ttl = Options.LeaseTtl;
        var taken = await counters.TryLockAsync(Key("lease:" + name), ttl, ct);
        return taken is null ? null : new HeldLease(taken, ttl, clock, logger);
    }
}

/// <summary>
/// A lease this node holds, renewed at a third of its TTL until disposed (which releases it). <see cref="Lost"/> is
/// cancelled as soon as a renewal fails: another node may have it by then.
/// </summary>
public sealed class HeldLease : IAsyncDisposable
{
    private readonly CounterLock taken;
    private readonly CancellationTokenSource lost = new();
    private readonly CancellationTokenSource disposing = new();
    private readonly ILogger logger;
    private readonly Task renewals;

    internal HeldLease(CounterLock taken, TimeSpan ttl, TimeProvider clock, ILogger logger)
    {
        this.taken = taken;
        this.logger = logger;
        renewals = RenewAsync(ttl, clock);
    }

    public CancellationToken Lost => lost.Token;

    private async Task RenewAsync(TimeSpan ttl, TimeProvider clock)
    {
        try
        {
            while (true)
            {
                await Task.Delay(ttl / 3, clock, disposing.Token);
                if (!await taken.ExtendAsync(ttl, disposing.Token))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (disposing.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not renew the lease {Lease}", taken.Key);
        }
        await lost.CancelAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await disposing.CancelAsync();
        await renewals;
        try
        {
            await taken.ReleaseAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not release the lease {Lease}; it expires by itself", taken.Key);
        }
        lost.Dispose();
        disposing.Dispose();
    }
}
