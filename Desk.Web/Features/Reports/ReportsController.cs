using System.Globalization;
using System.Text;
using Desk.Domain.Customers;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Reports;

/// <summary>Managers' reports. Each shows a chart, the same numbers as a table, a CSV of the table and one line saying what it shows.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(CatchingUpFilter))]
[ReportInputFilter]
public sealed class ReportsController(RecoveryMatrixQuery recovery, RootCauseParetoQuery pareto, LossReasonsQuery losses, WinBackQuery winBack,
    IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/win-back")]
    public async Task<IActionResult> WinBack([FromQuery] ReportFilterForm form, decimal? minimum, CancellationToken ct)
    {
        var rows = await winBack.RunAsync(form.ToFilter(), minimum ?? 0m, 100, ct);
        var reading = rows.Count == 0
            ? text["No customer has gone quiet after a complaint."].Value
            : text["{0} customers went quiet after their complaint; together they have spent {1}. The first is worth a call.",
                rows.Count, rows.Sum(r => r.Value).ToString("N2", CultureInfo.CurrentCulture)].Value;
        return View(new WinBackPage(minimum, rows, reading, TempData["WinBackSent"] as string) { Form = form });
    }

    [HttpGet("/reports/win-back.csv")]
    public async Task<IActionResult> WinBackCsv([FromQuery] ReportFilterForm form, decimal? minimum, CancellationToken ct)
    {
        var rows = await winBack.RunAsync(form.ToFilter(), minimum ?? 0m, 100, ct);
        return ReportSql.CsvFile(WinBackCsvText(rows), "win-back.csv");
    }

    /// <summary>The list as CSV, one line per customer, as the table: value, last order, the complaint, when a win-back mail went out.</summary>
    public static string WinBackCsvText(IReadOnlyList<WinBackRow> rows)
    {
        static string Q(string text) => CsvCell.Text(text);
        var csv = new StringBuilder("ticket_id,ticket,customer_id,customer,email,spent,last_order,complaint,win_back_sent\r\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.TicketId},{TicketNumber.Format(r.TicketId)},{r.CustomerId},{Q(r.Name)},{Q(r.Email)},{r.Value:0.00},{r.LastOrderAt:yyyy-MM-dd},{Q(r.Subject)},{r.WinBackSentAt:yyyy-MM-dd}\r\n");
        return csv.ToString();
    }

    [HttpGet("/reports/sla")]
    public async Task<IActionResult> Sla([FromQuery] ReportFilterForm form, [FromServices] SlaReportQuery sla, CancellationToken ct)
    {
        var result = await sla.RunAsync(form.ToFilter(), ct);
        return View(new SlaPage(form, result, SlaReading(result)));
    }

    [HttpGet("/reports/sla.csv")]
    public async Task<IActionResult> SlaCsv([FromQuery] ReportFilterForm form, [FromServices] SlaReportQuery sla, CancellationToken ct)
    {
        var result = await sla.RunAsync(form.ToFilter(), ct);
        return ReportSql.CsvFile(SlaWeeksCsv(result), $"sla-{result.Now:yyyy-MM-dd}.csv");
    }

    [HttpGet("/reports/sla-agents.csv")]
    public async Task<IActionResult> SlaAgentsCsv([FromQuery] ReportFilterForm form, [FromServices] SlaReportQuery sla, CancellationToken ct)
    {
        var result = await sla.RunAsync(form.ToFilter(), ct);
        return ReportSql.CsvFile(SlaAgentsCsv(result), $"sla-agents-{result.Now:yyyy-MM-dd}.csv");
    }

    /// <summary>The week table as CSV: one line per ISO week and severity; met and measured beside each rate, so nothing needs recomputing.</summary>
    public static string SlaWeeksCsv(SlaReport result)
    {
        var csv = new StringBuilder("week,week_start,severity,complaints,first_response_met,first_response_measured,first_response_rate,resolution_met,resolution_measured,resolution_rate\r\n");
        foreach (var w in result.Weeks)
            csv.Append(CultureInfo.InvariantCulture, $"{w.IsoWeek},{w.Week:yyyy-MM-dd},{w.Severity},{w.Tickets},{w.FirstResponse.Successes},{w.FirstResponse.N},{Rate(w.FirstResponse)},{w.Resolution.Successes},{w.Resolution.N},{Rate(w.Resolution)}\r\n");
        return csv.ToString();
    }

    /// <summary>The agent table as CSV; an empty agent is the complaints nobody holds.</summary>
    public static string SlaAgentsCsv(SlaReport result)
    {
        var csv = new StringBuilder("agent,complaints,first_response_met,first_response_measured,first_response_rate,resolution_met,resolution_measured,resolution_rate,resolved,mean_hours_to_resolve\r\n");
        foreach (var a in result.Agents)
            csv.Append(CultureInfo.InvariantCulture, $"{CsvCell.Text(a.Agent)},{a.Tickets},{a.FirstResponse.Successes},{a.FirstResponse.N},{Rate(a.FirstResponse)},{a.Resolution.Successes},{a.Resolution.N},{Rate(a.Resolution)},{a.Resolved},{a.MeanHoursToResolve:0.0}\r\n");
        return csv.ToString();
    }

    private static string Rate(Proportion p) => p.Rate is { } r ? r.ToString("0.0000", CultureInfo.InvariantCulture) : "";

    private string SlaReading(SlaReport result)
    {
        var (_, first, resolution) = result.Total();
        if (first.N == 0 && resolution.N == 0) return text["No complaint in this selection has reached its due time yet."];
        static string Pct(Proportion p) => p.Rate is { } r ? r.ToString("P0", CultureInfo.CurrentCulture) : "—";
        var reading = text["First responses met their target {0} of the time (n = {1}), resolutions {2} (n = {3}).",
            Pct(first), first.N.ToString("N0", CultureInfo.CurrentCulture), Pct(resolution), resolution.N.ToString("N0", CultureInfo.CurrentCulture)].Value;
        // Major complaints apart: a week with one late ticket would say little; the severity that loses customers says more.
        var (_, majorFirst, majorResolution) = result.Total(Severity.Major);
        return majorFirst.N + majorResolution.N == 0 ? reading
            : reading + text[" Major complaints: {0} and {1}.", Pct(majorFirst), Pct(majorResolution)];
    }

    [HttpGet("/reports/remedies")]
    public async Task<IActionResult> Remedies([FromQuery] ReportFilterForm form, [FromServices] RemedyEffectivenessQuery remedies, CancellationToken ct)
    {
        var result = await remedies.RunAsync(form.ToFilter(), ct);
        return View(new RemediesPage(form, result, RemediesReading(result)));
    }

    [HttpGet("/reports/remedies.csv")]
    public async Task<IActionResult> RemediesEffectCsv([FromQuery] ReportFilterForm form, [FromServices] RemedyEffectivenessQuery remedies, CancellationToken ct)
    {
        var result = await remedies.RunAsync(form.ToFilter(), ct);
        return ReportSql.CsvFile(RemediesCsv(result), $"remedies-{result.Now:yyyy-MM-dd}.csv");
    }

    /// <summary>The remedy table as CSV: one line per remedy kind given; cost per kept customer empty when nobody came back.</summary>
    public static string RemediesCsv(RemedyEffectiveness result)
    {
        var csv = new StringBuilder("remedy_id,remedy,resolved,bought_again,not_bought_again,pending,rate,ci95_low,ci95_high,remedy_cost,cost_per_kept_customer\r\n");
        static string N(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "";
        foreach (var r in result.Rows)
        {
            var interval = r.Repurchased.Interval95;
            csv.Append(CultureInfo.InvariantCulture, $"{r.RemedyKindId},{CsvCell.Text(r.Name)},{r.Resolved},{r.Repurchased.Successes},{r.NotRepurchased},{r.Pending},");
            csv.Append(CultureInfo.InvariantCulture, $"{N(r.Repurchased.Rate)},{N(interval?.Low)},{N(interval?.High)},{r.RemedyCost:0.00},{r.CostPerKeptCustomer:0.00}\r\n");
        }
        return csv.ToString();
    }

    private string RemediesReading(RemedyEffectiveness result)
    {
        var measured = result.Rows.Where(r => r.Repurchased.N > 0).ToList();
        if (measured.Count == 0)
            return text["Not enough measured customers yet for a reading: a complaint counts once its {0}-day window has ended.", result.WindowDays];
        var chinese = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        // Ranked by the low end of the 95 % interval: six of six is no surer than 45 of 50, and the reading must not say so.
        var best = measured.OrderByDescending(r => r.Repurchased.Interval95!.Value.Low).ThenByDescending(r => r.Repurchased.N).First();
        var reading = text["After {0}, {1} of customers bought again (n = {2}), the surest of any remedy (its 95 % interval starts highest); all remedies together: {3}.",
            chinese ? best.NameZh : best.Name, best.Repurchased.Rate!.Value.ToString("P0", CultureInfo.CurrentCulture),
            best.Repurchased.N.ToString("N0", CultureInfo.CurrentCulture), result.Total.Rate!.Value.ToString("P0", CultureInfo.CurrentCulture)].Value;
        var cheapest = measured.Where(r => r.CostPerKeptCustomer is not null).OrderBy(r => r.CostPerKeptCustomer).FirstOrDefault();
        return cheapest is null ? reading
            : reading + text[" Keeping a customer cost least with {0}: {1} each.", chinese ? cheapest.NameZh : cheapest.Name,
                cheapest.CostPerKeptCustomer!.Value.ToString("N2", CultureInfo.CurrentCulture)];
    }

    [HttpGet("/reports/loss-reasons")]
    public async Task<IActionResult> LossReasons([FromQuery] ReportFilterForm form, CancellationToken ct)
    {
        var result = await losses.RunAsync(form.ToFilter(), ct);
        return View(new LossPage(form, result, LossReading(result)));
    }

    [HttpGet("/reports/loss-reasons.csv")]
    public async Task<IActionResult> LossReasonsCsv([FromQuery] ReportFilterForm form, CancellationToken ct)
    {
        var result = await losses.RunAsync(form.ToFilter(), ct);
        return ReportSql.CsvFile(LossCsv(result), "loss-reasons.csv");
    }

    public static string LossCsv(LossReasons result)
    {
        var csv = new StringBuilder("root_cause_id,root_cause,complaints_not_followed_by_an_order,customers,revenue_year_before,share_of_that_revenue\r\n");
        foreach (var r in result.Rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.RootCauseId},{CsvCell.Text(r.Name)},{r.Complaints},{r.Customers},{r.RevenueBefore:0.00},{r.ShareOfRevenue:0.0000}\r\n");
        return csv.ToString();
    }

    private string LossReading(LossReasons result)
    {
        if (result.Rows.Count == 0) return text["No customer in this selection has stayed away after a complaint yet."];
        var top = result.Rows[0];
        var chinese = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        return text["Of the customers who did not come back, those lost over {0} brought the most revenue the year before: {1} ({2} of {3}).",
            chinese ? top.NameZh : top.Name, top.RevenueBefore.ToString("N2", CultureInfo.CurrentCulture),
            top.ShareOfRevenue.ToString("P0", CultureInfo.CurrentCulture), result.RevenueAtRisk.ToString("N2", CultureInfo.CurrentCulture)];
    }

    [HttpGet("/reports/root-causes")]
    public async Task<IActionResult> RootCauses([FromQuery] ParetoForm form, CancellationToken ct)
    {
        var result = await pareto.RunAsync(form.ToFilter(), ct);
        return View(new ParetoPage(form, result, ParetoReading(result)));
    }

    [HttpGet("/reports/root-causes.csv")]
    public async Task<IActionResult> RootCausesCsv([FromQuery] ParetoForm form, CancellationToken ct)
    {
        var result = await pareto.RunAsync(form.ToFilter(), ct);
        return ReportSql.CsvFile(ParetoCsv(result), "root-causes.csv");
    }

    public static string ParetoCsv(RootCausePareto result)
    {
        var csv = new StringBuilder("root_cause_id,root_cause,complaints,share,cumulative_share,vital_few\r\n");
        foreach (var r in result.Rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.RootCauseId},{CsvCell.Text(r.Name)},{r.Complaints},{r.Share:0.0000},{r.Cumulative:0.0000},{(r.VitalFew ? 1 : 0)}\r\n");
        csv.Append(CultureInfo.InvariantCulture, $",(no cause yet),{result.WithoutCause},,,\r\n");
        return csv.ToString();
    }

    private string ParetoReading(RootCausePareto result)
    {
        var vital = result.Rows.Where(r => r.VitalFew).ToList();
        if (vital.Count == 0) return text["No complaint in this selection has a root cause yet."];
        var chinese = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        var names = string.Join(chinese ? "、" : ", ", vital.Select(r => chinese ? r.NameZh : r.Name));
        return text["{0} of {1} causes account for {2} of complaints with a cause: {3}.", vital.Count, result.Rows.Count,
            vital[^1].Cumulative.ToString("P0", CultureInfo.CurrentCulture), names];
    }

    [HttpGet("/reports/recovery")]
    public async Task<IActionResult> Recovery([FromQuery] ReportFilterForm form, CancellationToken ct)
    {
        var matrix = await recovery.RunAsync(form.ToFilter(), ct);
        return View(new RecoveryPage(form, matrix, Reading(matrix)));
    }

    [HttpGet("/reports/recovery.csv")]
    public async Task<IActionResult> RecoveryCsv([FromQuery] ReportFilterForm form, CancellationToken ct)
    {
        var matrix = await recovery.RunAsync(form.ToFilter(), ct);
        return ReportSql.CsvFile(Csv(matrix), $"recovery-{matrix.Now:yyyy-MM-dd}.csv");
    }

    /// <summary>The table as CSV, one line per cell, numbers as numbers (invariant culture) so a spreadsheet can compute with them.</summary>
    public static string Csv(RecoveryMatrix matrix)
    {
        var csv = new StringBuilder("severity,column,bought_again,measured,rate,ci95_low,ci95_high,pending,revenue_after,remedy_cost,reference_tarp\r\n");
        static string N(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "";
        foreach (var c in matrix.Cells.OrderBy(c => c.Severity).ThenBy(c => c.Column))
        {
            var interval = c.Repurchased.Interval95;
            csv.Append(CultureInfo.InvariantCulture, $"{c.Severity},{c.Column},{c.Repurchased.Successes},{c.Repurchased.N},{N(c.Repurchased.Rate)},{N(interval?.Low)},{N(interval?.High)},");
            csv.Append(CultureInfo.InvariantCulture, $"{c.Pending},{c.RevenueAfter:0.00},{c.RemedyCost:0.00},{c.Reference:0.00}\r\n");
        }
        // Repeat complaints (second failures) after the matrix, their column prefixed with "Repeat"; TARP has no figure for them.
        foreach (var c in matrix.RepeatCells.OrderBy(c => c.Severity).ThenBy(c => c.Column))
        {
            var interval = c.Repurchased.Interval95;
            csv.Append(CultureInfo.InvariantCulture, $"{c.Severity},Repeat{c.Column},{c.Repurchased.Successes},{c.Repurchased.N},{N(c.Repurchased.Rate)},{N(interval?.Low)},{N(interval?.High)},");
            csv.Append(CultureInfo.InvariantCulture, $"{c.Pending},{c.RevenueAfter:0.00},{c.RemedyCost:0.00},\r\n");
        }
        return csv.ToString();
    }

    [HttpGet("/reports/recovery-remedies.csv")]
    public async Task<IActionResult> RecoveryRemediesCsv([FromQuery] ReportFilterForm form, CancellationToken ct)
    {
        var matrix = await recovery.RunAsync(form.ToFilter(), ct);
        return ReportSql.CsvFile(RemediesCsv(matrix), $"recovery-remedies-{matrix.Now:yyyy-MM-dd}.csv");
    }

    /// <summary>The remedy table as CSV: one line per remedy given and how it matched the one asked for.</summary>
    public static string RemediesCsv(RecoveryMatrix matrix)
    {
        var csv = new StringBuilder("remedy_given_id,remedy_given,match,bought_again,measured,rate,ci95_low,ci95_high,pending,remedy_cost\r\n");
        static string N(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "";
        foreach (var r in matrix.Remedies)
        {
            var interval = r.Repurchased.Interval95;
            csv.Append(CultureInfo.InvariantCulture, $"{r.RemedyGivenId},{CsvCell.Text(r.Name)},{r.Match},{r.Repurchased.Successes},{r.Repurchased.N},");
            csv.Append(CultureInfo.InvariantCulture, $"{N(r.Repurchased.Rate)},{N(interval?.Low)},{N(interval?.High)},{r.Pending},{r.RemedyCost:0.00}\r\n");
        }
        return csv.ToString();
    }

    /// <summary>One sentence a manager can act on: how a major complaint resolved within target compares with saying nothing.</summary>
    private string Reading(RecoveryMatrix matrix)
    {
        var quick = matrix.Cell(Severity.Major, RecoveryColumn.ResolvedWithinTarget).Repurchased;
        var silent = matrix.Cell(Severity.Major, RecoveryColumn.DidNotComplain).Repurchased;
        var late = matrix.Cell(Severity.Major, RecoveryColumn.ResolvedLate).Repurchased;
        if (quick.Rate is not { } q || silent.Rate is not { } s)
            return text["Not enough measured customers yet for a reading: a complaint counts once its {0}-day window has ended.", matrix.WindowDays];
        var lateText = late.Rate is { } l ? text[" Resolved late: {0}.", l.ToString("P0", CultureInfo.CurrentCulture)].Value : "";
        return text["Customers whose major complaint was resolved within target bought again {0} of the time (n = {1}), against {2} of major customers who never complained (n = {3}).",
            q.ToString("P0", CultureInfo.CurrentCulture), quick.N.ToString("N0", CultureInfo.CurrentCulture),
            s.ToString("P0", CultureInfo.CurrentCulture), silent.N.ToString("N0", CultureInfo.CurrentCulture)] + lateText;
    }
}

/// <summary>The filters every report takes: dates (inclusive, as a person picks them), the customers' relationship level (segment) and tenure.</summary>
public sealed class ReportFilterForm
{
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public RelationshipLevel? Level { get; set; }
    public TenureBand? Tenure { get; set; }

    public RecoveryFilter ToFilter() => new(
        From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        Level, Tenure);

    public string Query => string.Join("&", new[]
    {
        From is { } f ? "from=" + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        To is { } t ? "to=" + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        Level is { } l ? "level=" + l : null,
        Tenure is { } b ? "tenure=" + b : null,
    }.OfType<string>());
}

/// <summary>The Pareto's filters: dates (inclusive), severity, channel, product.</summary>
public sealed class ParetoForm
{
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public Severity? Severity { get; set; }
    public Channel? Channel { get; set; }
    public string? Product { get; set; }

    public ParetoFilter ToFilter() => new(
        From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        Severity, Channel, string.IsNullOrWhiteSpace(Product) ? null : Product.Trim());

    public string Query => Microsoft.AspNetCore.Http.QueryString.Create(new Dictionary<string, string?>
    {
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["severity"] = Severity?.ToString(), ["channel"] = Channel?.ToString(), ["product"] = string.IsNullOrWhiteSpace(Product) ? null : Product,
    }.Where(p => p.Value is not null)).ToString();

    /// <summary>The queue with the same filters and one cause: the tickets behind a bar.</summary>
    public string DrillDown(int rootCause) => Microsoft.AspNetCore.Http.QueryString.Create(new Dictionary<string, string?>
    {
        ["view"] = "all", ["kind"] = nameof(TicketKind.Complaint), ["severity"] = Severity?.ToString(), ["channel"] = Channel?.ToString(),
        ["rootCause"] = rootCause.ToString(CultureInfo.InvariantCulture),
    }.Where(p => p.Value is not null)).ToString();
}

public sealed record WinBackPage(decimal? Minimum, IReadOnlyList<WinBackRow> Rows, string Reading, string? SentTo)
{
    public ReportFilterForm Form { get; init; } = new();

    /// <summary>The page's filters as a query string (for the CSV link).</summary>
    public string Query => string.Join("&", new[] { Form.Query, Minimum is { } m ? "minimum=" + m.ToString(CultureInfo.InvariantCulture) : "" }
        .Where(q => q.Length > 0));
}

public sealed record SlaPage(ReportFilterForm Form, SlaReport Result, string Reading);

public sealed record RemediesPage(ReportFilterForm Form, RemedyEffectiveness Result, string Reading);

public sealed record LossPage(ReportFilterForm Form, LossReasons Result, string Reading);

public sealed record ParetoPage(ParetoForm Form, RootCausePareto Result, string Reading);

public sealed record RecoveryPage(ReportFilterForm Form, RecoveryMatrix Matrix, string Reading);
