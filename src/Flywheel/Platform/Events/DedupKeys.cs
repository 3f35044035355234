using System.IO.Hashing;
using System.Text;

namespace Flywheel.Platform.Events;

/// <summary>
/// What makes two events "the same". Events are unique per workspace by event id; order lifecycle events are unique
/// per workspace by (type, order id) — and refunds by (order id, refund id) — so an order paid through the orders API
/// and also tracked as an <c>order_paid</c> event is stored, and counted, once.
/// </summary>
public static class DedupKeys
{
    public static string For(string type, string eventId, string? orderId, string? refundId) => type switch
    {
        EventTypes.OrderPlaced or EventTypes.OrderPaid or EventTypes.OrderCancelled when orderId is not null
            => $"order:{type}:{orderId}",
        EventTypes.OrderRefunded when orderId is not null
            => $"order:{type}:{orderId}:{refundId ?? eventId}",
        _ => eventId,
    };

    /// <summary>
    /// 128-bit XXH3 of (workspace, key). The dedup index keeps only these; with 128 bits the chance that two
    /// different keys among a billion collide is below 10^-20, far under the rate of undetected disk errors.
    /// </summary>
    public static UInt128 Hash(string workspaceId, string dedupKey)
    {
        var byteCount = Encoding.UTF8.GetByteCount(workspaceId) + 1 + Encoding.UTF8.GetByteCount(dedupKey);
        var buffer = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        var written = Encoding.UTF8.GetBytes(workspaceId, buffer);
        buffer[written++] = 0;
        Encoding.UTF8.GetBytes(dedupKey, buffer[written..]);
        return XxHash128.HashToUInt128(buffer);
    }
}
