namespace Flywheel.Modules.Demo.Generation;

/// <summary>A shopping festival in the window: its days, its presale and its 满减 rule (every Threshold off Off, in fen).</summary>
public sealed record Sale(string Key, string Name, DateOnly PresaleStart, DateOnly Start, DateOnly PeakDay, long ThresholdMinor, long OffMinor)
{
    /// <summary>The day presale orders pay their balance (尾款): the first day of the sale.</summary>
    public DateOnly BalanceDay => Start;
}

/// <summary>
/// The days of the demo window in the shop's time zone (Asia/Shanghai, UTC+8 all year): how busy each day is
/// (weekly rhythm × festivals), how many customers it brings, and which sale runs on it. The window is the
/// <c>months</c> before <c>end</c>; <c>end</c> itself is not in it, so a window ending today holds no future events.
/// </summary>
public sealed class ShopCalendar
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>Monday first: sessions are a little more frequent at the weekend.</summary>
    private static readonly double[] Weekday = [0.94, 0.92, 0.95, 0.97, 1.0, 1.12, 1.16];

    /// <summary>Share of sessions starting in each local hour: a lunch bump and the evening peak.</summary>
    public static readonly double[] HourCumulative = People.Cumulative(
        [0.9, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 1.8, 2.2, 2.5, 2.6, 3.2, 3.0, 2.6, 2.6, 2.7, 2.8, 3.0, 3.6, 4.5, 5.0, 4.6, 2.8]);

    public DateOnly Start { get; }
    public DateOnly End { get; }
    public int Days { get; }
    public DateTimeOffset EndInstant { get; }

    /// <summary>Relative traffic of each day (1 = an ordinary weekday).</summary>
    public double[] Activity { get; }

    /// <summary>How much more likely a view turns into a cart on each day (sales convert better).</summary>
    public double[] Conversion { get; }

    public Sale?[] SaleOn { get; }
    public Sale?[] PresaleOn { get; }
    public IReadOnlyList<Sale> Sales { get; }

    private readonly double[] acquisitionCumulative;

    public ShopCalendar(DateOnly end, int months)
    {
        End = end;
        Start = end.AddMonths(-months);
        Days = End.DayNumber - Start.DayNumber;
        EndInstant = new DateTimeOffset(End.ToDateTime(TimeOnly.MinValue), Offset);
        var sales = new List<Sale>();
        for (var year = Start.Year - 1; year <= End.Year; year++)
        {
            sales.Add(new Sale("618", "618年中大促", new DateOnly(year, 5, 25), new DateOnly(year, 6, 1), new DateOnly(year, 6, 18), 20000, 3000));
            sales.Add(new Sale("double11", "双11", new DateOnly(year, 10, 20), new DateOnly(year, 11, 1), new DateOnly(year, 11, 11), 30000, 5000));
            sales.Add(new Sale("double12", "双12", new DateOnly(year, 12, 12), new DateOnly(year, 12, 12), new DateOnly(year, 12, 12), 20000, 2000));
        }
        Sales = sales;
        Activity = new double[Days];
        Conversion = new double[Days];
        SaleOn = new Sale?[Days];
        PresaleOn = new Sale?[Days];
        var acquisition = new double[Days];
        for (var d = 0; d < Days; d++)
        {
            var date = Start.AddDays(d);
            var season = 1.0;
            var conversion = 1.0;
            foreach (var s in sales)
            {
                if (date >= s.Start && date <= s.PeakDay)
                {
                    SaleOn[d] = s;
                    var toPeak = s.PeakDay.DayNumber - date.DayNumber;
                    // The last days before the peak build up; the peak day itself is the busiest of the year.
                    season = toPeak == 0 ? (s.Key == "double11" ? 4.5 : 3.2) : toPeak <= 2 ? 2.2 : s.Start == s.PeakDay ? 1.8 : 1.5;
                    conversion = toPeak == 0 ? 1.6 : 1.35;
                }
                else if (date >= s.PresaleStart && date < s.Start)
                {
                    PresaleOn[d] = s;
                    season = 1.3;
                    conversion = 1.15;
                }
                else if (date > s.PeakDay && date.DayNumber - s.PeakDay.DayNumber <= 4 && s.Start != s.PeakDay)
                {
                    // Demand pulled into the sale leaves a dip after it.
                    season = 0.75;
                }
            }
            Activity[d] = season * Weekday[((int)date.DayOfWeek + 6) % 7];
            Conversion[d] = conversion;
            // The shop grows over the year, and spends more on acquisition around its festivals.
            acquisition[d] = (0.55 + 0.9 * d / Math.Max(1, Days)) * (SaleOn[d] is not null || PresaleOn[d] is not null ? 1.9 : 1.0)
                * Weekday[((int)date.DayOfWeek + 6) % 7];
        }
        acquisitionCumulative = People.Cumulative(acquisition);
    }

    /// <summary>A day on which a new customer or visitor first arrives.</summary>
    public int DrawArrivalDay(DemoRandom rng) => rng.FromCumulative(acquisitionCumulative);

    /// <summary>A session start on <paramref name="day"/>: an hour by the daily curve, early enough for the session to end that day.</summary>
    public DateTimeOffset SessionStart(DemoRandom rng, int day)
    {
        var hour = rng.FromCumulative(HourCumulative);
        var seconds = hour * 3600 + rng.Next(hour == 23 ? 1200 : 3600);
        return new DateTimeOffset(Start.AddDays(day).ToDateTime(TimeOnly.MinValue), Offset).AddSeconds(seconds);
    }

    public DateOnly Date(int day) => Start.AddDays(day);

    public int DayOf(DateOnly date) => date.DayNumber - Start.DayNumber;
}
