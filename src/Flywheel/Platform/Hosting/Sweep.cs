namespace Flywheel.Platform.Hosting;

/// <summary>
/// A background sweep run every <see cref="Interval"/> of the host's clock, counted from the end of the previous one.
/// Each wait is a one-shot delay, never a periodic timer: a clock that jumps — a host resumed after a suspend, or a
/// test's clock moved a month on — wakes it once, rather than once for every interval it skipped.
/// A sweep that fails is logged and the next one tries again, so each sweep must be safe to repeat.
/// </summary>
public abstract class Sweep(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => clock;

    protected abstract TimeSpan Interval { get; }

    /// <summary>One sweep: everything due now.</summary>
    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "The {Sweep} sweep failed; the next one tries again.", GetType().Name);
            }
        }
    }
}
