using Flywheel.Modules.Segments.Clustering;

namespace Flywheel.Tests.Modules.Segments.Clustering;

public sealed class SilhouetteTests
{
    [Fact]
    public void TwoPairsOnALine_ScoreAsWorkedOutByHand()
    {
        // Points 0, 1 | 10, 11. Point 0: a = 1, b = (10 + 11)/2 = 10.5 → s = 9.5/10.5. Point 1: a = 1, b = (9 + 10)/2 = 9.5
        // → 8.5/9.5. By symmetry 10 and 11 score like 1 and 0. Mean = (9.5/10.5 + 8.5/9.5)/2 = 0.899749.
        double[] points = [0, 1, 10, 11];

        var scores = Silhouette.Mean(points, 1, [0, 1, 2, 3], [[0, 0, 1, 1]]);

        Assert.Equal(((9.5 / 10.5) + (8.5 / 9.5)) / 2, scores[0], 12);
    }

    [Fact]
    public void SeveralPartitions_AreScoredInOnePass_EachAsOnItsOwn()
    {
        double[] points = [0, 1, 10, 11];
        int[] good = [0, 0, 1, 1];
        // 0 | 1, 10, 11. Point 0 alone in its cluster: 0. Point 1: a = (9 + 10)/2 = 9.5, b = 1 → (1 − 9.5)/9.5.
        // Point 10: a = (9 + 1)/2 = 5, b = 10 → 5/10. Point 11: a = (10 + 1)/2 = 5.5, b = 11 → 5.5/11.
        int[] poor = [0, 1, 1, 1];

        var scores = Silhouette.Mean(points, 1, [0, 1, 2, 3], [good, poor]);

        Assert.Equal(Silhouette.Mean(points, 1, [0, 1, 2, 3], [good])[0], scores[0]);
        Assert.Equal((0 + (-8.5 / 9.5) + 0.5 + 0.5) / 4, scores[1], 12);
    }

    [Fact]
    public void OnlyTheSampledRows_AreMeasured()
    {
        // Row 1 (at 1) is left out: point 0 is then alone in its cluster (0); 10 and 11 score 1 − 1/10 and 1 − 1/11.
        double[] points = [0, 1, 10, 11];

        var scores = Silhouette.Mean(points, 1, [0, 2, 3], [[0, 0, 1, 1]]);

        Assert.Equal((0 + (1 - (1.0 / 10)) + (1 - (1.0 / 11))) / 3, scores[0], 12);
    }
}
