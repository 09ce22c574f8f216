using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Desk.Web.Data;

/// <summary>
/// How values are stored on every provider, so one report dialect reads both:
/// <list type="bullet">
/// <item>UTC times as 64-bit Unix milliseconds (SQLite's TEXT dates compare and group slower and it cannot order
/// DateTimeOffset; on PostgreSQL the same integers keep the report SQL's arithmetic — an anchor plus a window — one
/// expression), read back with <see cref="DateTimeKind.Utc"/>.</item>
/// <item>Money as 64-bit cents, so SQL sums it exactly.</item>
/// </list>
/// </summary>
public static class StoredValues
{
    public static void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcUnixMillisecondsConverter>();
        configurationBuilder.Properties<decimal>().HaveConversion<CentsConverter>();
    }

    /// <summary>Unix milliseconds of a UTC time; an unspecified kind is taken as UTC, a local one is converted.</summary>
    public static long UnixMilliseconds(DateTime value) =>
        ((value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value) - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;

    /// <summary>Cents of an amount, rounded half away from zero.</summary>
    public static long Cents(decimal amount) => (long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);

    private sealed class UtcUnixMillisecondsConverter() : ValueConverter<DateTime, long>(
        v => UnixMilliseconds(v),
        v => DateTime.UnixEpoch.AddMilliseconds(v));

    private sealed class CentsConverter() : ValueConverter<decimal, long>(
        v => (long)decimal.Round(v * 100m, 0, MidpointRounding.AwayFromZero),
        v => v / 100m);
}
