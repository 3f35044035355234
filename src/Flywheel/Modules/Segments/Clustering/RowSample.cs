namespace Flywheel.Modules.Segments.Clustering;

/// <summary>A fixed-seed sample of rows: the same rows for the same number of rows, size and seed.</summary>
public static class RowSample
{
    /// <summary>
    /// Up to <paramref name="size"/> distinct rows of <paramref name="n"/> (all of them when there are no more): a partial
    /// Fisher–Yates shuffle, returned in row order.
    /// </summary>
    public static int[] Draw(int n, int size, ulong seed)
    {
        if (n <= size)
        {
            return [.. Enumerable.Range(0, n)];
        }
        var rows = Enumerable.Range(0, n).ToArray();
        var random = new SplitMix64(seed);
        for (var i = 0; i < size; i++)
        {
            var j = i + random.NextInt(n - i);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
        var sample = rows[..size];
        Array.Sort(sample);
        return sample;
    }

    /// <summary>The chosen rows of <paramref name="points"/>, in the order given.</summary>
    public static double[] Gather(double[] points, int dimensions, int[] rows)
    {
        var gathered = new double[rows.Length * dimensions];
        for (var i = 0; i < rows.Length; i++)
        {
            Array.Copy(points, rows[i] * dimensions, gathered, i * dimensions, dimensions);
        }
        return gathered;
    }
}
