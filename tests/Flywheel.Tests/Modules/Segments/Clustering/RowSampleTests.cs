using Flywheel.Modules.Segments.Clustering;

namespace Flywheel.Tests.Modules.Segments.Clustering;

public sealed class RowSampleTests
{
    [Fact]
    public void Sample_TakesEveryRow_WhenThereAreNoMoreThanItsSize() =>
        Assert.Equal([0, 1, 2, 3, 4], RowSample.Draw(5, 5000, seed: 1));

    [Fact]
    public void Sample_IsDistinctRowsInOrder_TheSameForTheSameSeed()
    {
        var first = RowSample.Draw(100_000, 5000, seed: 1);
        var again = RowSample.Draw(100_000, 5000, seed: 1);
        var other = RowSample.Draw(100_000, 5000, seed: 2);

        Assert.Equal(5000, first.Length);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First < p.Second), "distinct and ascending");
        Assert.InRange(first[^1], 0, 99_999);
    }

    [Fact]
    public void Gather_CopiesTheChosenRows()
    {
        double[] points = [0, 1, 10, 11, 20, 21];

        Assert.Equal([20.0, 21, 0, 1], RowSample.Gather(points, 2, [2, 0]));
    }
}
