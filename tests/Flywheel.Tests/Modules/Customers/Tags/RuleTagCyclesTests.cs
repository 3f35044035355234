using Flywheel.Modules.Customers.Tags;

namespace Flywheel.Tests.Modules.Customers.Tags;

public sealed class RuleTagCyclesTests
{
    private static Dictionary<string, IReadOnlyList<string>> Graph(params (string From, string[] To)[] edges) =>
        edges.ToDictionary(e => e.From, e => (IReadOnlyList<string>)e.To, StringComparer.Ordinal);

    [Fact]
    public void AChainBackToTheStart_IsFoundWithItsPath()
    {
        var named = Graph(("A", ["X", "B"]), ("B", ["C"]), ("C", ["A"]), ("X", []));

        Assert.Equal(["A", "B", "C", "A"], RuleTagCycles.Find(named, "A"));
        Assert.Equal("'A' → 'B' → 'C' → 'A'", RuleTagCycles.Describe(RuleTagCycles.Find(named, "A")!));
    }

    [Fact]
    public void ATagNamingItself_IsACycleOfOne()
    {
        Assert.Equal(["A", "A"], RuleTagCycles.Find(Graph(("A", ["A"])), "A"));
    }

    [Fact]
    public void ChainsThatEnd_OrLoopElsewhere_AreNoCycleOfTheStart()
    {
        // A → B → C ⇄ D: a loop, but not through A (the tag being changed), and a walk that must still end.
        var named = Graph(("A", ["B", "Missing"]), ("B", ["C"]), ("C", ["D"]), ("D", ["C"]));

        Assert.Null(RuleTagCycles.Find(named, "A"));
    }
}
