namespace Flywheel.Modules.Promotions.Bargains;

/// <summary>The hold ledger's resources of bargains: every finite thing a help or a purchase takes.</summary>
public static class BargainKeys
{
    /// <summary>Capacity: the bargain's number of helps.</summary>
    public static string Helps(string bargainId) => $"bargain:{bargainId}:helps";

    /// <summary>Capacity 1: a helper helps a bargain once.</summary>
    public static string Helper(string bargainId, string helperId) => $"bargain:{bargainId}:helper:{helperId}";

    /// <summary>Capacity 1: a device helps a bargain once.</summary>
    public static string BargainDevice(string bargainId, string deviceId) => $"bargain:{bargainId}:device:{deviceId}";

    /// <summary>Capacity: the campaign's per-device limit, over all its bargains.</summary>
    public static string Device(string campaignId, string deviceId) => $"bargain-campaign:{campaignId}:device:{deviceId}";

    /// <summary>Capacity: the campaign's per-IP limit, over all its bargains.</summary>
    public static string Ip(string campaignId, string ip) => $"bargain-campaign:{campaignId}:ip:{ip}";

    /// <summary>Capacity 1: a bargain is bought once (held by an open checkout, spent when it is paid).</summary>
    public static string Purchase(string bargainId) => $"bargain:{bargainId}:purchase";
}
