using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Desk.Web.Features.Dashboard;

/// <summary>Where managers land: this week against last week and a year ago, what came of complaints, and where to look next.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(Reports.CatchingUpFilter))]
public sealed class DashboardController(DashboardQuery dashboard) : Controller
{
    [HttpGet("/dashboard")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await dashboard.ReadAsync(User.Identity!.Name!, ct));
}
