using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using Flywheel.Platform.Events;

namespace Flywheel.Platform.Ingestion;

/// <summary>
/// The ingest log: an append-only, fsync'ed file of accepted events, written before a request is acknowledged.
/// The event store loads from it in large batches (DuckDB writes big batches straight to compressed row groups,
/// small ones through its own WAL at a fraction of the speed), so acknowledging costs one sequential write and one
/// fsync shared by every request in the group.
///
/// Layout: segment files named by the first sequence number they hold; each record is
/// [u32 payload length][u32 CRC-32 of payload][payload], the payload a group of events (see <see cref="EventCodec"/>).
/// A torn record at the tail (a crash mid-write, never acknowledged) fails its length or CRC check, and replay
/// truncates the segment there.
/// </summary>
internal sealed class IngestLog : IDisposable
{
    private const long SegmentBytes = 64L * 1024 * 1024;
    private const string Extension = ".log";

    private readonly string directory;
    private readonly ArrayBufferWriter<byte> buffer = new(1 << 20);
    private FileStream? segment;
    private long segmentFirstSeq;

    public IngestLog(string directory)
    {
        this.directory = directory;
        Directory.CreateDirectory(directory);
    }

    /// <summary>
    /// Reads every intact record holding events with a sequence number above <paramref name="afterSeq"/>, in order,
    /// and truncates a torn tail. Must be called once before <see cref="Append"/>.
    /// </summary>
    public IEnumerable<EventRecord> Replay(long afterSeq)
    {
        foreach (var path in Segments())
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            long goodLength = 0;
            foreach (var (payload, end) in Records(file))
            {
                goodLength = end;
                foreach (var e in EventCodec.Decode(payload))
                {
                    if (e.Seq > afterSeq)
                    {
                        yield return e;
                    }
                }
            }
            if (goodLength < file.Length)
            {
                file.SetLength(goodLength);
                file.Flush(flushToDisk: true);
            }
        }
    }

    /// <summary>
    /// Reads the events with <paramref name="afterSeq"/> &lt; seq ≤ <paramref name="throughSeq"/> while the log stays open
    /// for appends; used to load again what a failed commit to the event store did not store.
    /// </summary>
    public IEnumerable<EventRecord> Read(long afterSeq, long throughSeq)
    {
        foreach (var path in Segments())
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            foreach (var (payload, _) in Records(file))
            {
                foreach (var e in EventCodec.Decode(payload))
                {
                    if (e.Seq > throughSeq)
                    {
                        yield break;
                    }
                    if (e.Seq > afterSeq)
                    {
                        yield return e;
                    }
                }
            }
        }
    }

    /// <summary>The intact records of a segment and the offset just past each; stops at the first torn or corrupt one.</summary>
    private static IEnumerable<(byte[] Payload, long End)> Records(FileStream file)
    {
        var header = new byte[8];
        while (file.Read(header, 0, 8) == 8)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (length <= 0 || length > file.Length - file.Position)
            {
                yield break;
            }
            var payload = new byte[length];
            file.ReadExactly(payload);
            if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)))
            {
                yield break;
            }
            yield return (payload, file.Position);
        }
    }

    /// <summary>Appends one group of events and makes it durable (fsync) before returning.</summary>
    public void Append(IReadOnlyList<EventRecord> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        if (segment is null || segment.Length >= SegmentBytes)
        {
            OpenSegment(events[0].Seq);
        }
        buffer.ResetWrittenCount();
        EventCodec.Encode(events, buffer);
        var payload = buffer.WrittenSpan;
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(payload));
        segment!.Write(header);
        segment.Write(payload);
        segment.Flush(flushToDisk: true);
    }

    /// <summary>Deletes segments whose every event is at or below <paramref name="loadedSeq"/> (already in the event store).</summary>
    public void Truncate(long loadedSeq)
    {
        var segments = Segments().ToList();
        for (var i = 0; i < segments.Count - 1; i++)
        {
            // A segment ends just before the next one starts.
            if (FirstSeqOf(segments[i + 1]) - 1 <= loadedSeq && FirstSeqOf(segments[i]) != segmentFirstSeq)
            {
                File.Delete(segments[i]);
            }
        }
    }

    public void Dispose() => segment?.Dispose();

    private void OpenSegment(long firstSeq)
    {
        segment?.Dispose();
        var path = Path.Combine(directory, firstSeq.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + Extension);
        segment = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1);
        segmentFirstSeq = firstSeq;
    }

    private IEnumerable<string> Segments() =>
        Directory.EnumerateFiles(directory, "*" + Extension).OrderBy(p => p, StringComparer.Ordinal);

    private static long FirstSeqOf(string path) =>
        long.Parse(Path.GetFileNameWithoutExtension(path), System.Globalization.CultureInfo.InvariantCulture);
}
