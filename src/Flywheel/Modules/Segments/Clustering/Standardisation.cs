namespace Flywheel.Modules.Segments.Clustering;

/// <summary>
/// Features in the space k-means measures distances in. Counts, money and durations are skewed (a few customers
/// spend a hundred times the median), so they are first taken as log(1 + x), which keeps 0 at 0 and pulls in the long
/// tail; shares (0–1) are kept as they are. Then every feature becomes a z-score, (x − mean) / standard deviation with
/// the population deviation (divided by n), so that each counts the same in a distance whatever its unit. A value that
/// is missing (NaN: average days between orders of a one-order customer) gets 0, the mean: mean and deviation are
/// taken over the customers who have the value, and the feature tells nothing about those who do not. A feature equal
/// for everyone has no deviation and is 0 for everyone: it cannot separate anyone.
/// </summary>
public sealed record Standardisation(double[] Values, int Dimensions, double[] Means, double[] Deviations)
{
    /// <summary>Standardises <paramref name="raw"/>, n rows of <c>logged.Count</c> values one after another.</summary>
    public static Standardisation Of(double[] raw, IReadOnlyList<bool> logged)
    {
        var d = logged.Count;
        ArgumentOutOfRangeException.ThrowIfZero(d);
        if (raw.Length % d != 0)
        {
            throw new ArgumentException($"{raw.Length} values are not rows of {d}.", nameof(raw));
        }
        var n = raw.Length / d;
        var values = new double[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var x = raw[i];
            values[i] = double.IsNaN(x) || !logged[i % d] ? x : double.LogP1(x);
        }
        var means = new double[d];
        var deviations = new double[d];
        for (var f = 0; f < d; f++)
        {
            var (count, sum) = (0, 0.0);
            for (var i = 0; i < n; i++)
            {
                var x = values[(i * d) + f];
                if (!double.IsNaN(x))
                {
                    count++;
                    sum += x;
                }
            }
            var mean = count == 0 ? 0 : sum / count;
            var squares = 0.0;
            for (var i = 0; i < n; i++)
            {
                var x = values[(i * d) + f];
                if (!double.IsNaN(x))
                {
                    squares += (x - mean) * (x - mean);
                }
            }
            var deviation = count == 0 ? 0 : Math.Sqrt(squares / count);
            // A deviation this small is rounding noise around a constant, not a spread worth magnifying.
            if (deviation <= 1e-12 * Math.Max(1, Math.Abs(mean)))
            {
                deviation = 0;
            }
            means[f] = mean;
            deviations[f] = deviation;
            for (var i = 0; i < n; i++)
            {
                ref var x = ref values[(i * d) + f];
                x = double.IsNaN(x) || deviation == 0 ? 0 : (x - mean) / deviation;
            }
        }
        return new Standardisation(values, d, means, deviations);
    }

    public int Count => Values.Length / Dimensions;
}
