using Flywheel.Modules.Analytics.Attribution;
using Flywheel.Platform.Events;

namespace Flywheel.Tests.Modules.Analytics;

public sealed class VisitsTests
{
    private static readonly DateTime T0 = new(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc);

    private static LeanEvent At(int minutes, string? utm, string type = "page_view") => new("c1", null, T0.AddMinutes(minutes), type, utm);

    [Fact]
    public void Visits_BreakOnHalfAnHourOfQuiet_OrOnANewCampaignSource_AndUntaggedOnesAreDirect()
    {
        var touches = Visits.Touches(
        [
            At(0, "wechat"),
            At(10, null),                  // same visit
            At(20, "baidu"),               // another source: a new visit
            At(25, "order_paid", "order_paid"), // order events are not visits, whatever they carry
            At(50, null),                  // 30 minutes after the last event: still the baidu visit
            At(81, null),                  // 31 minutes of quiet: a new, untagged visit
            At(86, "baidu"),               // tagged after an untagged start: a new visit
        ]);

        Assert.Equal(
        [
            new CustomerTouch("wechat", new DateTimeOffset(T0, TimeSpan.Zero)),
            new CustomerTouch("baidu", new DateTimeOffset(T0.AddMinutes(20), TimeSpan.Zero)),
            new CustomerTouch("direct", new DateTimeOffset(T0.AddMinutes(81), TimeSpan.Zero), IsDirect: true),
            new CustomerTouch("baidu", new DateTimeOffset(T0.AddMinutes(86), TimeSpan.Zero)),
        ], touches);
    }
}
