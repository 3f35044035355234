namespace Flywheel.Modules.Segments.Language;

/// <summary>Which of the customer's events count, by their time.</summary>
public abstract record TimeWindow;

/// <summary>
/// Events from exactly <see cref="Days"/> × 24 hours before evaluation time <c>now</c> up to <c>now</c>, both bounds
/// included. A rolling window, so that "in last 30 days" stops holding at the moment the 30th day passes.
/// </summary>
public sealed record InLastDays(int Days) : TimeWindow;

/// <summary>
/// Events on the days <see cref="From"/> to <see cref="To"/>, both whole days included, days being those of the
/// workspace time zone: from the start of <see cref="From"/> up to, not including, the start of the day after
/// <see cref="To"/>.
/// </summary>
public sealed record BetweenDates(DateOnly From, DateOnly To) : TimeWindow;
