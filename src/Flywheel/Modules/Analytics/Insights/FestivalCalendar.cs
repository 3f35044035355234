namespace Flywheel.Modules.Analytics.Insights;

/// <summary>A shopping festival and the local dates around it when trade is expected to be out of its weekly rhythm.</summary>
public sealed record Festival(string Name, DateOnly Day, DateOnly WindowFrom, DateOnly WindowTo);

/// <summary>
/// The festivals Chinese e-commerce trades around: 618 (18 June), 双11 (11 November), 双12 (12 December) and Chinese New
/// Year (春节). Days in a festival's window are left out of the weekday baselines (so that a peak does not inflate next
/// week's expectation) and a deviation on them is reported as expected seasonality, never raised as an alarm.
/// </summary>
public static class FestivalCalendar
{
    /// <summary>
    /// The first day of the lunar year (正月初一) for the years the calendar covers, as published by the Hong Kong
    /// Observatory's Gregorian–Lunar Calendar Conversion Table (https://www.hko.gov.hk/en/gts/time/conversion.htm).
    /// Years outside the table get no Chinese New Year window rather than a guess.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, DateOnly> ChineseNewYear = new Dictionary<int, DateOnly>
    {
        [2020] = new(2020, 1, 25),
        [2021] = new(2021, 2, 12),
        [2022] = new(2022, 2, 1),
        [2023] = new(2023, 1, 22),
        [2024] = new(2024, 2, 10),
        [2025] = new(2025, 1, 29),
        [2026] = new(2026, 2, 17),
        [2027] = new(2027, 2, 6),
        [2028] = new(2028, 1, 26),
        [2029] = new(2029, 2, 13),
        [2030] = new(2030, 2, 3),
    };

    /// <summary>The festivals of a calendar year, each with its window.</summary>
    public static IReadOnlyList<Festival> Of(int year)
    {
        var list = new List<Festival>
        {
            // The platforms' 618 season: presale from about 20 May, the sale from 1 June to the 18th, then a dip of a few
            // days while demand pulled into the sale is missing.
            Around("618", new DateOnly(year, 6, 18), before: 29, after: 4),
            // 双11: presale deposits from about 20 October, the sale from 1 November to the 11th, then the dip.
            Around("double_11", new DateOnly(year, 11, 11), before: 22, after: 4),
            Around("double_12", new DateOnly(year, 12, 12), before: 2, after: 2),
        };
        if (ChineseNewYear.TryGetValue(year, out var cny))
        {
            // Logistics stop some ten days before the new year and pick up again about a week after it: orders drop
            // well before the holiday and recover after it.
            list.Add(Around("chinese_new_year", cny, before: 10, after: 7));
        }
        return list;
    }

    /// <summary>The festival whose window holds <paramref name="date"/>, or null on an ordinary day.</summary>
    public static Festival? On(DateOnly date)
    {
        // A window may cross into the next or previous year (Chinese New Year in late January).
        for (var year = date.Year - 1; year <= date.Year + 1; year++)
        {
            foreach (var f in Of(year))
            {
                if (date >= f.WindowFrom && date <= f.WindowTo)
                {
                    return f;
                }
            }
        }
        return null;
    }

    private static Festival Around(string name, DateOnly day, int before, int after) =>
        new(name, day, day.AddDays(-before), day.AddDays(after));
}
