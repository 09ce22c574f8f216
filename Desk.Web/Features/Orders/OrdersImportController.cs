using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Desk.Web.Features.Orders;

/// <summary>
/// Importing the shop's orders from a page: upload a CSV, see the preview (the first rows as the desk reads them, and
/// either every row error or what the import will do), then confirm. Managers and admins: orders are what the recovery
/// reports are made of, and managers are the ones who read those reports and get the shop's exports; an import only
/// adds orders and cannot change one, so it needs no admin rights. Very large files are better imported with the
/// import-orders command (the desk's writes wait while a file is checked and while it is imported).
/// </summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
public sealed class OrdersImportController(OrderImport import, OrderUploads uploads) : Controller
{
    private const string Page = "/orders/import";
    private const long MaxUpload = 256L * 1024 * 1024;

    [HttpGet(Page)]
    public IActionResult Index() => View("Import", new OrderImportPage());

    [HttpPost(Page)]
    [RequestSizeLimit(MaxUpload)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
    public async Task<IActionResult> Preview(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Import", new OrderImportPage { Problem = "Choose the CSV file to import." });
        }
        string token;
        await using (var content = file.OpenReadStream())
            token = await uploads.SaveAsync(content, Owner, ct);
        var page = await RunAsync(token, file.FileName, OrderImportMode.DryRun, ct);
        if (page is null) return NotFound();
        if (page.Result!.Refused)
        {
            await uploads.DeleteAsync(token, ct); // a refused file is fixed and uploaded again, never confirmed
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Import", page with { Token = null });
        }
        return View("Import", page);
    }

    [HttpPost(Page + "/{token}")]
    public async Task<IActionResult> Confirm(string token, string? fileName, CancellationToken ct)
    {
        var page = await RunAsync(token, fileName, OrderImportMode.Import, ct);
        if (page is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Import", new OrderImportPage { Problem = "This upload is no longer here (it was imported, or is older than a day). Upload the file again." });
        }
        await uploads.DeleteAsync(token, ct);
        if (page.Result!.Refused) Response.StatusCode = StatusCodes.Status422UnprocessableEntity; // the desk changed since the preview
        return View("Import", page with { Token = null });
    }

    private async Task<OrderImportPage?> RunAsync(string token, string? fileName, OrderImportMode mode, CancellationToken ct)
    {
        await using var stream = await uploads.OpenAsync(token, Owner, ct);
        if (stream is null) return null;
        await using var csv = await OrderCsv.OpenAsync(stream, ct);
        var result = await import.RunAsync(csv.LinesAsync(ct), mode, progress: null, ct);
        return new OrderImportPage
        {
            FileName = Path.GetFileName(fileName),
            Token = token,
            Result = result,
            Columns = Enum.GetValues<OrderField>().ToDictionary(f => f, csv.ColumnName),
            IgnoredColumns = csv.IgnoredColumns,
        };
    }

    private string Owner => User.Identity?.Name ?? "";
}

public sealed record OrderImportPage
{
    public string? FileName { get; init; }
    /// <summary>Set while a previewed upload waits for its confirmation.</summary>
    public string? Token { get; init; }
    public OrderImportResult? Result { get; init; }
    /// <summary>Each field's column as the file names it.</summary>
    public IReadOnlyDictionary<OrderField, string> Columns { get; init; } = OrderCsv.DocumentedNames;
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];
    /// <summary>A problem before any row was read (no file chosen, upload gone), as an English text to translate.</summary>
    public string? Problem { get; init; }
}
