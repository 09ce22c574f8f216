using System.Globalization;
using Desk.Domain.Tickets;
using Desk.Web.Features.Shared;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Reports.WinBack;

/// <summary>Win back (/reports/win-back): customers who went quiet after a complaint, most valuable first. The mail is <see cref="WinBackMailController"/>.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(CatchingUpFilter))]
[ReportInputFilter]
public sealed class WinBackController(WinBackQuery winBack, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    /// <summary>The list shows at most this many customers; the downloads hold the same.</summary>
    public const int Limit = 100;

    /// <summary>The chart draws this many, the most valuable; the table has the whole list.</summary>
    public const int ChartLimit = 20;

    [HttpGet("/reports/win-back")]
    public async Task<IActionResult> Show([FromQuery] ReportFilterForm form, decimal? minimum, CancellationToken ct)
    {
        var rows = await winBack.RunAsync(form.ToFilter(), minimum ?? 0m, Limit, ct);
        var periods = ComparedPeriods.Of(form.From, form.To, DatePresets.Today(clock, AgentTime.Zone));
        var (now, before) = await ReportComparisons.RunAsync(periods, rows, (from, to) => winBack.RunAsync(form.Within(from, to).ToFilter(), minimum ?? 0m, Limit, ct));
        var summary = new ReportSummary(WinBackReading.Reading(rows, text), WinBackReading.HowComputed(Limit, text), periods, WinBackReading.Figures(now, before, Limit, text));
        return View("WinBack", new WinBackPage(minimum, rows, summary, TempData["WinBackSent"] as string) { Form = form });
    }

    [HttpGet("/reports/win-back.{format:" + ReportFile.Formats + "}")]
    public async Task<IActionResult> Download([FromQuery] ReportFilterForm form, decimal? minimum, string format, CancellationToken ct)
    {
        var rows = await winBack.RunAsync(form.ToFilter(), minimum ?? 0m, Limit, ct);
        return ReportFile.Result(Table(rows), ReportFile.Parse(format), "win-back", text);
    }

    /// <summary>One line per customer, as the table: value, last order, the complaint, when a win-back mail went out.</summary>
    public static ReportTable Table(IReadOnlyList<WinBackRow> rows) =>
        ReportTable.Of<WinBackRow>("Win back")
            .Count("ticket_id", "Ticket id", r => r.TicketId)
            .Add(new("ticket", "Ticket", ColumnKind.Code), r => TicketNumber.Format(r.TicketId))
            .Count("customer_id", "Customer id", r => r.CustomerId)
            .Text("customer", "Customer", r => r.Name)
            .Text("email", "Email", r => r.Email)
            .Money("spent", "Spent", r => r.Value)
            .Date("last_order", "Last order", r => r.LastOrderAt)
            .Text("complaint", "Complaint", r => r.Subject)
            .Date("win_back_sent", "Win-back mail sent", r => r.WinBackSentAt)
            .Build(rows);
}

public sealed record WinBackPage(decimal? Minimum, IReadOnlyList<WinBackRow> Rows, ReportSummary Summary, string? SentTo)
{
    public ReportFilterForm Form { get; init; } = new();

    /// <summary>The page's filters as a query string (for the download links).</summary>
    public string Query => string.Join("&", new[] { Form.Query, Minimum is { } m ? "minimum=" + m.ToString(CultureInfo.InvariantCulture) : "" }
        .Where(q => q.Length > 0));
}
