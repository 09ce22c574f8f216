using Desk.Web.Features.Reports;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Desk.Web.Features.Tags;

/// <summary>The reports' tag tab: complaints and repurchase share by tag.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
public sealed class TagReportController(TagReportQuery report) : Controller
{
    [HttpGet("/reports/tags")]
    public async Task<IActionResult> Index([FromQuery] ReportFilterForm form, CancellationToken ct) =>
        View("TagReport", new TagReportPage(form, await report.RunAsync(form.ToFilter(), ct)));
}

public sealed record TagReportPage(ReportFilterForm Form, TagReport Result);
