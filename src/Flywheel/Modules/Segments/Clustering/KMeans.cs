namespace Flywheel.Modules.Segments.Clustering;

/// <summary>
/// A k-means partition: <c>Labels</c> the cluster of each row, <c>Centroids</c> k rows of the points' dimensions (each
/// cluster's mean), <c>Inertia</c> the sum of squared distances from each point to its centroid. Cluster 0 is the
/// largest; ties in size go to the cluster whose first member (lowest row) comes first, so that the same data always
/// numbers its clusters the same way.
/// </summary>
public sealed record KMeansResult(int K, int[] Labels, double[] Centroids, int[] Sizes, int Iterations, double Inertia);

/// <summary>
/// k-means (Lloyd's algorithm) started by k-means++ (Arthur and Vassilvitskii, "k-means++: the advantages of careful
/// seeding", SODA 2007), with a fixed seed, so that the same points, k and seed give the same clusters:
/// <list type="number">
/// <item>First centre: a point drawn uniformly; each next one a point drawn with probability proportional to its
/// squared distance to the nearest centre so far (a point equal to a centre is never drawn).</item>
/// <item>Then, until no point changes cluster (at most <see cref="MaxIterations"/> rounds): each point joins its
/// nearest centre (the lower cluster on a tie), and each centre moves to the mean of its points. A cluster left empty
/// takes the point farthest from its own centre (the first such point on a tie) from a cluster of two or more.</item>
/// </list>
/// Points are assigned in fixed blocks of rows, in parallel, and the blocks' sums are added in block order, so the
/// arithmetic, and the answer, does not depend on how many threads ran. Doubles throughout, no vector instructions
/// whose width differs between machines.
/// </summary>
public static class KMeans
{
    public const int MaxIterations = 300;

    /// <summary>Rows per block of work: big enough to be worth a thread, fixed so that sums are always added alike.</summary>
    private const int Block = 4096;

    /// <summary>The clusters of <paramref name="points"/>, n rows of <paramref name="dimensions"/> values one after another.</summary>
    public static KMeansResult Run(double[] points, int dimensions, int k, ulong seed, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var n = points.Length / dimensions;
        if (n < k)
        {
            throw ClusteringRefusedException.NeedsKCustomers(k, n);
        }
        var centroids = SeedPlusPlus(points, n, dimensions, k, new SplitMix64(seed));
        var labels = new int[n];
        Array.Fill(labels, -1);
        var distances = new double[n];
        var iterations = 0;
        while (iterations < MaxIterations)
        {
            ct.ThrowIfCancellationRequested();
            iterations++;
            var (changed, sums, sizes) = Assign(points, n, dimensions, centroids, k, labels, distances, ct);
            changed += FillEmpty(points, dimensions, k, labels, distances, sums, sizes);
            if (changed == 0)
            {
                // The centres are already the means of these clusters: nothing would move again.
                break;
            }
            for (var c = 0; c < k; c++)
            {
                for (var f = 0; f < dimensions; f++)
                {
                    centroids[(c * dimensions) + f] = sums[(c * dimensions) + f] / sizes[c];
                }
            }
        }
        return Ordered(points, n, dimensions, k, labels, centroids, iterations);
    }

    /// <summary>Squared Euclidean distance between row <paramref name="row"/> of <paramref name="points"/> and row <paramref name="other"/> of <paramref name="others"/>.</summary>
    internal static double SquaredDistance(double[] points, int row, double[] others, int other, int dimensions)
    {
        var (a, b, sum) = (row * dimensions, other * dimensions, 0.0);
        for (var f = 0; f < dimensions; f++)
        {
            var diff = points[a + f] - others[b + f];
            sum += diff * diff;
        }
        return sum;
    }

    private static double[] SeedPlusPlus(double[] points, int n, int d, int k, SplitMix64 random)
    {
        var centroids = new double[k * d];
        var first = random.NextInt(n);
        Array.Copy(points, first * d, centroids, 0, d);
        var nearest = new double[n];
        for (var i = 0; i < n; i++)
        {
            nearest[i] = SquaredDistance(points, i, centroids, 0, d);
        }
        for (var c = 1; c < k; c++)
        {
            var total = 0.0;
            for (var i = 0; i < n; i++)
            {
                total += nearest[i];
            }
            if (total == 0)
            {
                // Every point equals one of the c centres chosen: there are only c different points.
                throw ClusteringRefusedException.NeedsKDistinctCustomers(k, c);
            }
            var target = random.NextDouble() * total;
            var chosen = -1;
            var running = 0.0;
            for (var i = 0; i < n; i++)
            {
                if (nearest[i] == 0)
                {
                    continue;
                }
                chosen = i;
                running += nearest[i];
                if (running > target)
                {
                    break;
                }
            }
            // Rounding can leave the running sum a hair short of the target: then the last candidate is the one.
            Array.Copy(points, chosen * d, centroids, c * d, d);
            for (var i = 0; i < n; i++)
            {
                nearest[i] = Math.Min(nearest[i], SquaredDistance(points, i, centroids, c, d));
            }
        }
        return centroids;
    }

    /// <summary>Moves each point to its nearest centre; returns how many moved and each cluster's sums and sizes.</summary>
    private static (int Changed, double[] Sums, int[] Sizes) Assign(
        double[] points, int n, int d, double[] centroids, int k, int[] labels, double[] distances, CancellationToken ct)
    {
        var blocks = (n + Block - 1) / Block;
        var blockSums = new double[blocks][];
        var blockSizes = new int[blocks][];
        var blockChanged = new int[blocks];
        Parallel.For(0, blocks, new ParallelOptions { CancellationToken = ct }, b =>
        {
            var sums = new double[k * d];
            var sizes = new int[k];
            var changed = 0;
            for (var i = b * Block; i < Math.Min(n, (b + 1) * Block); i++)
            {
                var (best, bestDistance) = (0, SquaredDistance(points, i, centroids, 0, d));
                for (var c = 1; c < k; c++)
                {
                    var distance = SquaredDistance(points, i, centroids, c, d);
                    if (distance < bestDistance)
                    {
                        (best, bestDistance) = (c, distance);
                    }
                }
                if (labels[i] != best)
                {
                    labels[i] = best;
                    changed++;
                }
                distances[i] = bestDistance;
                sizes[best]++;
                for (var f = 0; f < d; f++)
                {
                    sums[(best * d) + f] += points[(i * d) + f];
                }
            }
            (blockSums[b], blockSizes[b], blockChanged[b]) = (sums, sizes, changed);
        });
        var total = new double[k * d];
        var totalSizes = new int[k];
        var totalChanged = 0;
        for (var b = 0; b < blocks; b++)
        {
            for (var j = 0; j < total.Length; j++)
            {
                total[j] += blockSums[b][j];
            }
            for (var c = 0; c < k; c++)
            {
                totalSizes[c] += blockSizes[b][c];
            }
            totalChanged += blockChanged[b];
        }
        return (totalChanged, total, totalSizes);
    }

    /// <summary>Gives each empty cluster the point farthest from its centre among clusters that can spare one.</summary>
    private static int FillEmpty(double[] points, int d, int k, int[] labels, double[] distances, double[] sums, int[] sizes)
    {
        var moved = 0;
        for (var c = 0; c < k; c++)
        {
            if (sizes[c] > 0)
            {
                continue;
            }
            var farthest = -1;
            for (var i = 0; i < labels.Length; i++)
            {
                if (sizes[labels[i]] > 1 && (farthest < 0 || distances[i] > distances[farthest]))
                {
                    farthest = i;
                }
            }
            var from = labels[farthest];
            for (var f = 0; f < d; f++)
            {
                sums[(from * d) + f] -= points[(farthest * d) + f];
                sums[(c * d) + f] = points[(farthest * d) + f];
            }
            (sizes[from], sizes[c], labels[farthest], distances[farthest]) = (sizes[from] - 1, 1, c, 0);
            moved++;
        }
        return moved;
    }

    /// <summary>Renumbers the clusters largest first (ties: the cluster whose first row comes first).</summary>
    private static KMeansResult Ordered(double[] points, int n, int d, int k, int[] labels, double[] centroids, int iterations)
    {
        var sizes = new int[k];
        var firstRow = Enumerable.Repeat(int.MaxValue, k).ToArray();
        for (var i = 0; i < n; i++)
        {
            sizes[labels[i]]++;
            firstRow[labels[i]] = Math.Min(firstRow[labels[i]], i);
        }
        var order = Enumerable.Range(0, k).OrderByDescending(c => sizes[c]).ThenBy(c => firstRow[c]).ToArray();
        var rank = new int[k];
        for (var r = 0; r < k; r++)
        {
            rank[order[r]] = r;
        }
        var orderedLabels = new int[n];
        var inertia = 0.0;
        for (var i = 0; i < n; i++)
        {
            orderedLabels[i] = rank[labels[i]];
            inertia += SquaredDistance(points, i, centroids, labels[i], d);
        }
        var orderedCentroids = new double[k * d];
        for (var r = 0; r < k; r++)
        {
            Array.Copy(centroids, order[r] * d, orderedCentroids, r * d, d);
        }
        return new KMeansResult(k, orderedLabels, orderedCentroids, [.. order.Select(c => sizes[c])], iterations, inertia);
    }
}
