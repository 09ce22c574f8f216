using System.Globalization;

namespace Desk.Web.Features.Import;

/// <summary>
/// <c>dotnet run --project Desk.Web -- import PEER FILE</c> (PEER: osticket, zammad, freescout or zendesk): brings another
/// desk's history over, printing a line per ticket, the result and what could not be mapped. Exit code 0 when the file
/// was read (whatever could not be mapped is listed), 1 when it is not the peer's export, 2 for a wrong call or a missing file.
/// </summary>
public static class ImportHistoryCommand
{
    public const string Name = "import";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken ct = default)
    {
        var readers = services.GetServices<IPeerExportReader>().ToList();
        if (args is not [var peer, var file] || readers.Reader(peer) is not { } reader)
        {
            await output.WriteLineAsync($"Usage: dotnet run --project Desk.Web -- import {string.Join("|", readers.Select(r => r.Key))} FILE");
            return 2;
        }
        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            await output.WriteLineAsync($"error: there is no file {path}.");
            return 2;
        }
        await output.WriteLineAsync($"Reading the {reader.Name} export {path} …");
        PeerExport export;
        try
        {
            await using var stream = File.OpenRead(path);
            export = await reader.ReadAsync(stream, ct);
        }
        catch (PeerExportException e)
        {
            await output.WriteLineAsync("error: " + e.Message);
            return 1;
        }
        await output.WriteLineAsync($"{export.Tickets.Count:N0} tickets found; importing …");
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<HistoryImport>().RunAsync(reader, export, new Progress(output), ct);
        foreach (var line in Report(result)) await output.WriteLineAsync(line);
        return 0;
    }

    /// <summary>The result and the unmapped items, as the command prints them.</summary>
    public static IEnumerable<string> Report(HistoryImportResult r)
    {
        yield return string.Create(CultureInfo.InvariantCulture,
            $"Imported {r.Imported:N0} of {r.Tickets:N0} {r.Peer} tickets in {r.Elapsed.TotalSeconds:N1} s: {r.Messages:N0} messages, {r.Attachments:N0} files, {r.NewCustomers:N0} new customers; {r.AlreadyImported:N0} already imported.");
        if (r.Unmapped.Count == 0)
        {
            yield return "Everything was mapped.";
            yield break;
        }
        yield return $"Not mapped ({r.Unmapped.Count:N0}):";
        foreach (var item in r.Unmapped) yield return "  " + item;
    }

    /// <summary>Writes each ticket's progress as it is reported (synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class Progress(TextWriter output) : IProgress<HistoryImportProgress>
    {
        public void Report(HistoryImportProgress p) =>
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {p.Done,8:N0} / {p.Total:N0}  {p.Imported,8:N0} imported  {p.AlreadyImported,8:N0} already imported  {p.Elapsed.TotalSeconds,7:N1} s"));
    }
}
