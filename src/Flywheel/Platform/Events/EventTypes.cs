namespace Flywheel.Platform.Events;

/// <summary>Flywheel's standard event types (SPEC §3.2). Any other lower-case name is a custom type.</summary>
public static class EventTypes
{
    public const string PageView = "page_view";
    public const string Search = "search";
    public const string ProductView = "product_view";
    public const string AddToCart = "add_to_cart";
    public const string RemoveFromCart = "remove_from_cart";
    public const string CheckoutStarted = "checkout_started";
    public const string OrderPlaced = "order_placed";
    public const string OrderPaid = "order_paid";
    public const string OrderCancelled = "order_cancelled";
    public const string OrderRefunded = "order_refunded";
    public const string ReviewSubmitted = "review_submitted";
    public const string CouponClaimed = "coupon_claimed";
    public const string CouponRedeemed = "coupon_redeemed";
    public const string SignUp = "sign_up";
    public const string SignIn = "sign_in";
    public const string Identify = "identify";
    public const string CheckIn = "check_in";
    public const string Share = "share";
    public const string InviteAccepted = "invite_accepted";
    public const string MessageDelivered = "message_delivered";
    public const string MessageOpened = "message_opened";
    public const string MessageClicked = "message_clicked";
    public const string Unsubscribed = "unsubscribed";
    public const string SegmentEntered = "segment_entered";
    public const string SegmentExited = "segment_exited";

    /// <summary>The rule for type names: lower-case letters, digits and '_', starting with a letter ("order_paid").</summary>
    public static bool IsValidName(string type)
    {
        if (type.Length == 0 || type[0] is < 'a' or > 'z')
        {
            return false;
        }
        foreach (var c in type)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Events Flywheel records about a customer rather than the customer's own doing: they do not make the customer
    /// seen, and a change of segment membership is not itself a reason to re-evaluate segments.
    /// </summary>
    public static bool IsMembershipChange(string type) => type is SegmentEntered or SegmentExited;

    public static bool IsOrderEvent(string type) =>
        type is OrderPlaced or OrderPaid or OrderCancelled or OrderRefunded;
}
