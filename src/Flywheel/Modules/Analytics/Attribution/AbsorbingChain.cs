using System.Numerics;

namespace Flywheel.Modules.Analytics.Attribution;

/// <summary>
/// The probability that the chain, started at the start state, ends in conversion rather than null, solved exactly.
/// <para>
/// With x_i the conversion probability from state i, each transient state satisfies
/// x_i = Σ_j p_ij·x_j + p_i,conv. Multiplied by the number of times the chain left i, this becomes a system of whole
/// numbers: leaving_i·x_i − Σ_j count_ij·x_j = count_i,conv. It is solved by fraction-free (Bareiss) elimination on big
/// integers, so the answer is an exact fraction: no rounding can make the removal effects disagree with the figures
/// worked out by hand, and no pivoting is needed — the matrix is a nonsingular M-matrix (diagonally dominant, every
/// state can reach an absorbing one), whose leading minors are all positive. A linear-algebra package would solve it in
/// doubles; at the dozens of channels that attribution deals with, exact big-integer arithmetic takes milliseconds.
/// </para>
/// </summary>
internal static class AbsorbingChain
{
    /// <summary>
    /// P(conversion) from the start; with <paramref name="removed"/>, as if that channel's state led straight to null
    /// (its removal effect is measured this way).
    /// </summary>
    public static Rational ConversionProbability(TransitionCounts counts, int? removed = null)
    {
        // Unknowns: the channels kept, then the start last, so that elimination leaves its value in the last row.
        var states = Enumerable.Range(0, counts.Channels.Length).Where(s => s != removed).Append(counts.Start).ToArray();
        var size = states.Length;
        var matrix = new BigInteger[size, size + 1];
        for (var row = 0; row < size; row++)
        {
            var state = states[row];
            for (var column = 0; column < size; column++)
            {
                matrix[row, column] = -counts.Between[state, states[column]];
            }
            matrix[row, row] += counts.Leaving(state);
            matrix[row, size] = counts.ToConversion[state];
        }
        if (counts.Leaving(counts.Start) == 0)
        {
            return Rational.Zero;
        }
        var previousPivot = BigInteger.One;
        for (var k = 0; k < size - 1; k++)
        {
            if (matrix[k, k].IsZero)
            {
                throw new InvalidOperationException("The transition matrix is singular; every state should lead to conversion or null.");
            }
            for (var i = k + 1; i < size; i++)
            {
                for (var j = k + 1; j <= size; j++)
                {
                    // Exact division: Sylvester's identity makes every intermediate a minor of the original matrix.
                    matrix[i, j] = ((matrix[i, j] * matrix[k, k]) - (matrix[i, k] * matrix[k, j])) / previousPivot;
                }
                matrix[i, k] = BigInteger.Zero;
            }
            previousPivot = matrix[k, k];
        }
        return Rational.Of(matrix[size - 1, size], matrix[size - 1, size - 1]);
    }
}
