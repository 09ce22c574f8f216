using System.Globalization;
using Desk.Web.Features.Reports.Downloads;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Reports.Remedies;

/// <summary>Which remedies keep customers (/reports/remedies): repurchase after each remedy kind, and what keeping a customer cost.</summary>
[Authorize(Policy = DeskPolicies.ReadsReports)]
[ServiceFilter(typeof(CatchingUpFilter))]
[ReportInputFilter]
public sealed class RemediesController(RemedyEffectivenessQuery remedies, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("/reports/remedies")]
    public async Task<IActionResult> Show([FromQuery] ReportFilterForm form, CancellationToken ct)
    {
        var result = await remedies.RunAsync(form.ToFilter(), ct);
        return View("Remedies", new RemediesPage(form, result, Reading(result)));
    }

    [HttpGet("/reports/remedies.{format:" + ReportFile.Formats + "}")]
    public async Task<IActionResult> Download([FromQuery] ReportFilterForm form, string format, CancellationToken ct)
    {
        var result = await remedies.RunAsync(form.ToFilter(), ct);
        return ReportFile.Result(Table(result, new(text)), ReportFile.Parse(format), $"remedies-{result.Now:yyyy-MM-dd}", text);
    }

    /// <summary>One line per remedy kind given; cost per kept customer empty when nobody came back.</summary>
    public static ReportTable Table(RemedyEffectiveness result, ReportWords? words = null)
    {
        var t = words ?? ReportWords.Untranslated;
        return ReportTable.Of<RemedyRow>("Which remedies keep customers")
            .Count("remedy_id", "Remedy number", r => r.RemedyKindId)
            .Text("remedy", "Remedy", r => t.Name(r.Name, r.NameZh))
            .Count("resolved", "Resolved", r => r.Resolved)
            .Count("bought_again", "Bought again", r => r.Repurchased.Successes)
            .Count("not_bought_again", "Did not buy again", r => r.NotRepurchased)
            .Count("pending", "Pending", r => r.Pending)
            .Percent("rate", "Bought again (share)", r => r.Repurchased.Rate)
            .Percent("ci95_low", "95 % interval, from", r => r.Repurchased.Interval95?.Low)
            .Percent("ci95_high", "95 % interval, to", r => r.Repurchased.Interval95?.High)
            .Money("remedy_cost", "Remedy cost", r => r.RemedyCost)
            .Money("cost_per_kept_customer", "Cost per kept customer", r => r.CostPerKeptCustomer)
            .Build(result.Rows);
    }

    private string Reading(RemedyEffectiveness result)
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
}

public sealed record RemediesPage(ReportFilterForm Form, RemedyEffectiveness Result, string Reading);
