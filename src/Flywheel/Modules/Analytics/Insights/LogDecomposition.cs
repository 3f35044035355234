namespace Flywheel.Modules.Analytics.Insights;

/// <summary>
/// Splits the change of a product of factors, M = f₁ × f₂ × … × fₙ, into one additive contribution per factor (the
/// additive LMDI-I of Ang, "The LMDI approach to decomposition analysis: a practical guide", Energy Policy 33, 2005):
/// <code>
/// contribution_i = L(M₁, M₀) × ln(f_i,₁ / f_i,₀),   L(a, b) = (a − b) / (ln a − ln b),  L(a, a) = a
/// </code>
/// Because Σ ln(f_i,₁ / f_i,₀) = ln(M₁ / M₀), the contributions add up to M₁ − M₀ with no residual term, whatever the
/// order of the factors. They are then rounded to whole units (minor units of money, hundredths of an order) by the
/// largest-remainder rule so that the rounded parts still add up exactly to the rounded total change.
/// </summary>
public static class LogDecomposition
{
    /// <summary>
    /// The contribution of each factor in whole units, summing to <paramref name="currentUnits"/> −
    /// <paramref name="previousUnits"/>; null when a factor is zero in either period (its logarithm is undefined).
    /// </summary>
    public static IReadOnlyList<long>? Split(IReadOnlyList<(double Previous, double Current)> factors, long previousUnits, long currentUnits)
    {
        if (factors.Any(f => f.Previous <= 0 || f.Current <= 0) || previousUnits <= 0 || currentUnits <= 0)
        {
            return null;
        }
        var weight = LogMean(currentUnits, previousUnits);
        var raw = factors.Select(f => weight * Math.Log(f.Current / f.Previous)).ToList();
        return Apportion(raw, currentUnits - previousUnits);
    }

    /// <summary>The logarithmic mean L(a, b) of two positive numbers.</summary>
    public static double LogMean(double a, double b) =>
        Math.Abs(a - b) < 1e-12 * Math.Max(a, b) ? a : (a - b) / (Math.Log(a) - Math.Log(b));

    /// <summary>
    /// Rounds <paramref name="parts"/> to integers adding up to <paramref name="total"/>: each is rounded down, and the
    /// units still missing (or over) go to the parts with the largest (smallest) fractions, earlier parts first on ties.
    /// </summary>
    public static IReadOnlyList<long> Apportion(IReadOnlyList<double> parts, long total)
    {
        var floors = parts.Select(p => (long)Math.Floor(p)).ToArray();
        var missing = total - floors.Sum();
        var byFraction = Enumerable.Range(0, parts.Count).OrderByDescending(i => parts[i] - Math.Floor(parts[i])).ThenBy(i => i).ToList();
        for (var k = 0; missing > 0; k++, missing--)
        {
            floors[byFraction[k % byFraction.Count]]++;
        }
        for (var k = 0; missing < 0; k++, missing++)
        {
            floors[byFraction[byFraction.Count - 1 - k % byFraction.Count]]--;
        }
        return floors;
    }
}
