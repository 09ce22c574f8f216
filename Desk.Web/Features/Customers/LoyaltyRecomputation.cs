using Desk.Web.Data;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Desk.Web.Features.Customers;

public sealed class LoyaltyScheduleOptions
{
    public const string Section = "Desk:Loyalty:Schedule";

    /// <summary>Off in tests that recompute by hand; on everywhere else.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the desk looks for new orders (one indexed MAX, so cheap): the most a page's badges lag an import.</summary>
    [Range(5, 3600)]
    public int CheckIntervalSeconds { get; set; } = 60;
}

/// <summary>
/// Keeps the loyalty cache fresh: at start, then every <see cref="LoyaltyScheduleOptions.CheckIntervalSeconds"/> it asks
/// <see cref="LoyaltyScoring.ReasonToRecomputeAsync"/> and recomputes when orders came in or the last run is a day old.
/// Its memory is the LoyaltyRuns table, so a restart neither repeats a run nor skips one. Time is the injected clock.
/// </summary>
public sealed class LoyaltyRecomputation(IServiceScopeFactory scopes, TimeProvider clock, IOptions<LoyaltyScheduleOptions> options,
    WorkLeases leases, ILogger<LoyaltyRecomputation> log) : BackgroundService
{
    /// <summary>On every desk; the one holding the loyalty lease does the runs, and another takes over when it dies.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled ? leases.RunWhileHeldAsync("loyalty recomputation", ScheduleAsync, stoppingToken) : Task.CompletedTask;

    private async Task ScheduleAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds), clock);
        do
        {
            await CheckAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One look, and a run when there is a reason; a failure is logged and retried at the next look.</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var scoring = scope.ServiceProvider.GetRequiredService<LoyaltyScoring>();
            if (await scoring.ReasonToRecomputeAsync(ct) is not { } reason) return;
            var run = await scoring.RecomputeAsync(reason, ct);
            log.LogInformation("Loyalty recomputed ({Reason}): {Customers} customers in {Elapsed} ms", reason, run.Customers, run.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            log.LogError(e, "Loyalty recomputation failed; trying again at the next check");
        }
    }
}
