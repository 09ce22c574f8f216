namespace Desk.Seed;

/// <summary>
/// Values as the web app's model stores them on both databases: UTC times as Unix milliseconds, money as cents
/// (rounded half away from zero, as its converter does), enums by name.
/// </summary>
internal static class StoredForm
{
    public static long Ms(DateTime value) => (value - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
    public static long? Ms(DateTime? value) => value is { } v ? Ms(v) : null;
    public static long Cents(decimal value) => (long)decimal.Round(value * 100m, 0, MidpointRounding.AwayFromZero);
    public static long? Cents(decimal? value) => value is { } v ? Cents(v) : null;

    // Enum names are cached: ToString() on an enum allocates every time.
    public static string Name<T>(T value) where T : struct, Enum => EnumNames<T>.Of(value);
    public static string? Name<T>(T? value) where T : struct, Enum => value is { } v ? EnumNames<T>.Of(v) : null;

    private static class EnumNames<T> where T : struct, Enum
    {
        private static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(v => v, v => v.ToString());
        public static string Of(T value) => Names[value];
    }
}
