namespace Desk.Web.Features.Import;

/// <summary>Other desks' histories in: one reader per peer, one import for all, used by the command and the admin page.</summary>
public static class ImportSetup
{
    public static WebApplicationBuilder AddDeskHistoryImport(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPeerExportReader, OsTicketReader>();
        builder.Services.AddSingleton<IPeerExportReader, ZammadReader>();
        builder.Services.AddSingleton<IPeerExportReader, FreeScoutReader>();
        builder.Services.AddSingleton<IPeerExportReader, ZendeskReader>();
        builder.Services.AddScoped<HistoryImport>();
        return builder;
    }

    /// <summary>The reader for <paramref name="key"/> ("osticket", …), or null.</summary>
    public static IPeerExportReader? Reader(this IEnumerable<IPeerExportReader> readers, string? key) =>
        readers.FirstOrDefault(r => string.Equals(r.Key, key?.Trim(), StringComparison.OrdinalIgnoreCase));
}
