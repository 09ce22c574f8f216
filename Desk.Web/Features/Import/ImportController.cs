using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Desk.Web.Features.Import;

/// <summary>
/// Importing another desk's history from a page (admins): choose the peer, upload its export, see what was imported and
/// what could not be mapped. The same import as the command; a very large history is better imported with the command.
/// </summary>
[Authorize(Policy = DeskPolicies.ConfiguresDesk)]
public sealed class ImportController(IEnumerable<IPeerExportReader> readers, HistoryImport import) : Controller
{
    private const string Page = "/admin/import";
    private const long MaxUpload = 512L * 1024 * 1024;

    [HttpGet(Page)]
    public IActionResult Index() => View("Import", new HistoryImportPage { Peers = Peers() });

    [HttpPost(Page)]
    [RequestSizeLimit(MaxUpload)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
    public async Task<IActionResult> Run(string? peer, IFormFile? file, CancellationToken ct)
    {
        var page = new HistoryImportPage { Peers = Peers(), Peer = peer, FileName = Path.GetFileName(file?.FileName) };
        if (readers.Reader(peer) is not { } reader)
            return Refused(page with { Problem = "Choose the desk the export comes from." });
        if (file is null || file.Length == 0)
            return Refused(page with { Problem = "Choose the export file to import." });
        PeerExport export;
        try
        {
            await using var stream = file.OpenReadStream();
            export = await reader.ReadAsync(stream, ct);
        }
        catch (PeerExportException)
        {
            return Refused(page with { Problem = "This file is not an export Desk can read from the desk you chose. See README, Importing, for what to export." });
        }
        var result = await import.RunAsync(reader, export, progress: null, ct);
        return View("Import", page with { Result = result });
    }

    private ViewResult Refused(HistoryImportPage page)
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Import", page);
    }

    private IReadOnlyList<(string Key, string Name)> Peers() => [.. readers.Select(r => (r.Key, r.Name))];
}

public sealed record HistoryImportPage
{
    public IReadOnlyList<(string Key, string Name)> Peers { get; init; } = [];
    public string? Peer { get; init; }
    public string? FileName { get; init; }
    public HistoryImportResult? Result { get; init; }
    /// <summary>Why nothing was imported, as an English text to translate.</summary>
    public string? Problem { get; init; }
}
