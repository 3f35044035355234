using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Flywheel.Platform.State;

/// <summary>Stores instants as UTC ticks (a 64-bit integer): ordered, comparable and exact on every provider.</summary>
internal sealed class DateTimeOffsetTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
