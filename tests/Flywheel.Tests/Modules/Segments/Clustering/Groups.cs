namespace Flywheel.Tests.Modules.Segments.Clustering;

/// <summary>Points in tight groups far apart, so that which point belongs with which is known by construction.</summary>
internal static class Groups
{
    /// <summary>
    /// Two-dimensional points: for each (centre, size) a square patch from the centre up and to the right, filled row by
    /// row with ⌈√size⌉ points a row, 0.1 apart (closer for patches over 100 points, so that none is 1 wide), the groups
    /// one after another in the order given. Centres in these tests are 1,000 apart.
    /// </summary>
    public static double[] Points(params (double X, double Y, int Size)[] groups)
    {
        var points = new List<double>();
        foreach (var (x, y, size) in groups)
        {
            var side = (int)Math.Ceiling(Math.Sqrt(size));
            var spacing = 1.0 / Math.Max(10, side + 1);
            for (var i = 0; i < size; i++)
            {
                points.Add(x + (spacing * (i % side)));
                points.Add(y + (spacing * (i / side)));
            }
        }
        return [.. points];
    }

    /// <summary>The group each point was made in (0 for the first group given), as <see cref="Points"/> lays them out.</summary>
    public static int[] Membership(params int[] sizes) => [.. sizes.SelectMany((size, g) => Enumerable.Repeat(g, size))];

    /// <summary>Scattered points with no structure, from a fixed formula (a large shop's worth of rows).</summary>
    public static double[] Scatter(int rows, int dimensions)
    {
        var points = new double[rows * dimensions];
        for (var i = 0; i < points.Length; i++)
        {
            // A Weyl sequence: fractional parts of multiples of an irrational are spread evenly and never repeat.
            points[i] = (i * 0.6180339887498949) % 1.0 * (1 + (i % dimensions));
        }
        return points;
    }
}
