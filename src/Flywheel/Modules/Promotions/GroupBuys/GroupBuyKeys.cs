namespace Flywheel.Modules.Promotions.GroupBuys;

/// <summary>The hold ledger's resources of a group: its seats, and each customer's one seat in it.</summary>
public static class GroupBuyKeys
{
    /// <summary>Capacity: the group's size. Every member's reservation holds one.</summary>
    public static string Seats(string groupId) => $"group:{groupId}:seats";

    /// <summary>Capacity 1: a customer takes one seat of a group.</summary>
    public static string Member(string groupId, string customerId) => $"group:{groupId}:customer:{customerId}";
}
