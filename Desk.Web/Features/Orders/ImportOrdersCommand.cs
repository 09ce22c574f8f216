using System.Globalization;

namespace Desk.Web.Features.Orders;

/// <summary>
/// <c>dotnet run --project Desk.Web -- import-orders FILE.csv [--dry-run]</c>: imports a shop's order export (see
/// <see cref="OrderCsv"/> for the columns), printing progress after every batch and the result. Exit code 0 when
/// imported (or, with --dry-run, when it would be), 1 when the file is refused (each row error is printed; nothing
/// was imported), 2 for a wrong call or a missing file.
/// </summary>
public static class ImportOrdersCommand
{
    public const string Name = "import-orders";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken ct = default)
    {
        var dryRun = args.Contains("--dry-run");
        var files = args.Where(a => a != "--dry-run").ToList();
        if (files.Count != 1 || files[0].StartsWith("--", StringComparison.Ordinal))
        {
            await output.WriteLineAsync("Usage: dotnet run --project Desk.Web -- import-orders FILE.csv [--dry-run]");
            return 2;
        }
        var path = Path.GetFullPath(files[0]);
        if (!File.Exists(path))
        {
            await output.WriteLineAsync($"error: there is no file {path}.");
            return 2;
        }

        await output.WriteLineAsync($"{(dryRun ? "Checking" : "Importing")} orders from {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:N1} MB) …");
        await using var scope = services.CreateAsyncScope();
        var import = scope.ServiceProvider.GetRequiredService<OrderImport>();
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        await using var csv = await OrderCsv.OpenAsync(stream, ct);
        var result = await import.RunAsync(csv.LinesAsync(ct), dryRun ? OrderImportMode.DryRun : OrderImportMode.Import,
            new Progress(output), ct);

        await output.WriteLineAsync(Summary(result, csv));
        foreach (var error in result.Errors) await output.WriteLineAsync("  " + Describe(error, csv.ColumnName));
        if (result.ErrorCount > result.Errors.Count)
            await output.WriteLineAsync($"  … and {result.ErrorCount - result.Errors.Count:N0} more.");
        return result.Refused ? 1 : 0;
    }

    /// <summary>One error as a line: "row 7, amount: … → …".</summary>
    public static string Describe(OrderRowError error, Func<OrderField, string> columnName) =>
        $"row {error.Position}{(error.Field is { } f ? ", " + columnName(f) : "")}: {error.Problem} → {error.Fix}";

    private static string Summary(OrderImportResult r, OrderCsv csv)
    {
        var seconds = r.Elapsed.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture);
        var ignored = csv.IgnoredColumns.Count > 0 ? $" Ignored columns: {string.Join(", ", csv.IgnoredColumns)}." : "";
        return r.Outcome switch
        {
            OrderImportOutcome.Refused =>
                $"Refused: {r.ErrorCount:N0} problem(s){(r.StoppedEarly ? $", stopped reading after {r.Lines:N0} rows" : $" in {r.Lines:N0} rows")}; nothing was imported. Fix these rows and import the file again:",
            OrderImportOutcome.WouldImport =>
                $"Checked {r.Lines:N0} rows in {seconds} s: {r.New:N0} new, {r.AlreadyImported:N0} already imported, {r.RepeatedInInput:N0} repeated in the file, {r.NewCustomers:N0} new customers. Nothing was written (--dry-run).{ignored}",
            _ =>
                $"Imported {r.New:N0} new orders from {r.Lines:N0} rows in {seconds} s; {r.AlreadyImported:N0} already imported, {r.RepeatedInInput:N0} repeated in the file, {r.NewCustomers:N0} new customers.{ignored}",
        };
    }

    /// <summary>Writes each batch's progress as it is reported (synchronously: <see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Progress(TextWriter output) : IProgress<OrderImportProgress>
    {
        public void Report(OrderImportProgress p) =>
            output.WriteLine($"  {p.Lines,12:N0} rows  {p.New,12:N0} new  {p.AlreadyImported,10:N0} already imported  {p.Errors,6:N0} errors  {p.Elapsed.TotalSeconds,7:N1} s");
    }
}
