using System.Runtime.CompilerServices;

namespace Flywheel.Modules.Segments.Language;

/// <summary>
/// Where the parts of a parsed condition were written, kept beside the model rather than in it so that conditions stay
/// plain values. Parts are found by reference: the checker asks for the very node the parser made.
/// </summary>
public sealed class SourcePositions
{
    private readonly Dictionary<NodePart, int> _offsets = [];

    internal SourcePositions(SourceText source) => Source = source;

    internal SourceText Source { get; }

    internal void Add(object node, int offset, string part = "") => _offsets[new NodePart(node, part)] = offset;

    /// <summary>An error at the part, or at its node when the part has no position of its own.</summary>
    internal SegmentError? ErrorAt(object node, string part, string message, string path) =>
        _offsets.TryGetValue(new NodePart(node, part), out var offset) || _offsets.TryGetValue(new NodePart(node, ""), out offset)
            ? Source.ErrorAt(offset, message, path)
            : null;

    private readonly record struct NodePart(object Node, string Part)
    {
        public bool Equals(NodePart other) => ReferenceEquals(Node, other.Node) && Part == other.Part;

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Node), Part);
    }
}

/// <summary>A condition read from text, with where each of its parts was written.</summary>
public sealed record ParsedText(Condition Condition, SourcePositions Positions);
