using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Flywheel.Platform.Events;

namespace Flywheel.Platform.Ingestion;

/// <summary>Compact binary form of events for the ingest log: fixed-width numbers, length-prefixed UTF-8 strings.</summary>
internal static class EventCodec
{
    private const byte Version = 1;

    public static void Encode(IReadOnlyList<EventRecord> events, IBufferWriter<byte> output)
    {
        WriteByte(output, Version);
        WriteInt32(output, events.Count);
        foreach (var e in events)
        {
            WriteInt64(output, e.Seq);
            WriteString(output, e.WorkspaceId);
            WriteString(output, e.EventId);
            WriteString(output, e.DedupKey);
            WriteString(output, e.Type);
            WriteString(output, e.CustomerId);
            WriteString(output, e.AnonymousId);
            WriteInt64(output, e.Timestamp.Ticks);
            WriteInt64(output, e.ReceivedAt.Ticks);
            WriteString(output, e.Properties);
            var c = e.Context;
            WriteString(output, c.Channel);
            WriteString(output, c.UtmSource);
            WriteString(output, c.UtmMedium);
            WriteString(output, c.UtmCampaign);
            WriteString(output, c.UtmContent);
            WriteString(output, c.UtmTerm);
            WriteString(output, c.Referrer);
            WriteString(output, c.Url);
            WriteString(output, c.Device);
            WriteString(output, c.Ip);
            WriteString(output, c.UserAgent);
        }
    }

    public static List<EventRecord> Decode(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        var version = reader.Byte();
        if (version != Version)
        {
            throw new InvalidDataException($"Ingest log record version {version} is not supported.");
        }
        var count = reader.Int32();
        var events = new List<EventRecord>(count);
        for (var i = 0; i < count; i++)
        {
            events.Add(new EventRecord
            {
                Seq = reader.Int64(),
                WorkspaceId = reader.String()!,
                EventId = reader.String()!,
                DedupKey = reader.String()!,
                Type = reader.String()!,
                CustomerId = reader.String(),
                AnonymousId = reader.String(),
                Timestamp = new DateTime(reader.Int64(), DateTimeKind.Utc),
                ReceivedAt = new DateTime(reader.Int64(), DateTimeKind.Utc),
                Properties = reader.String()!,
                Context = new EventContext
                {
                    Channel = reader.String(),
                    UtmSource = reader.String(),
                    UtmMedium = reader.String(),
                    UtmCampaign = reader.String(),
                    UtmContent = reader.String(),
                    UtmTerm = reader.String(),
                    Referrer = reader.String(),
                    Url = reader.String(),
                    Device = reader.String(),
                    Ip = reader.String(),
                    UserAgent = reader.String(),
                },
            });
        }
        return events;
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteInt32(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteInt64(IBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    /// <summary>Length −1 marks null.</summary>
    private static void WriteString(IBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteInt32(output, -1);
            return;
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var span = output.GetSpan(4 + max);
        var written = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, written);
        output.Advance(4 + written);
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> data = data;
        private int position;

        public byte Byte() => data[position++];

        public int Int32()
        {
            var v = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
            position += 4;
            return v;
        }

        public long Int64()
        {
            var v = BinaryPrimitives.ReadInt64LittleEndian(data[position..]);
            position += 8;
            return v;
        }

        public string? String()
        {
            var length = Int32();
            if (length < 0)
            {
                return null;
            }
            var s = Encoding.UTF8.GetString(data.Slice(position, length));
            position += length;
            return s;
        }
    }
}
