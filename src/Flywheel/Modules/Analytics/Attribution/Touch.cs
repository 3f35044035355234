namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// One marketing touch on a conversion path: the channel it came through, when it happened (needed only by the time
/// decay model) and whether it was a direct visit (typed address, bookmark), which the last non-direct model skips.
/// </summary>
public sealed record Touch
{
    public Touch(string channel, DateTimeOffset? at = null, bool isDirect = false)
    {
        if (string.IsNullOrWhiteSpace(channel))
        {
            throw new ArgumentException("A touch needs a channel name.", nameof(channel));
        }
        Channel = channel;
        At = at;
        IsDirect = isDirect;
    }

    public string Channel { get; }

    public DateTimeOffset? At { get; }

    public bool IsDirect { get; }
}
