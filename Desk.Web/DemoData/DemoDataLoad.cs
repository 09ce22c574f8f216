using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.DemoData;

/// <summary>
/// A record that demo data was loaded into this desk (by the first run or by the seed command), written by the generator
/// in the same load. A desk that has one is a demo desk for good: its tickets and customers are made up and its demo users
/// share a published password, so every page says so (<see cref="DemoDataNotice"/>).
/// </summary>
public sealed class DemoDataLoad
{
    private DemoDataLoad() { } // for EF Core

    public int Id { get; private set; }
    public DateTime LoadedAt { get; private set; }
    public int Tickets { get; private set; }
    public int Seed { get; private set; }
}

internal sealed class DemoDataLoadConfiguration : IEntityTypeConfiguration<DemoDataLoad>
{
    public void Configure(EntityTypeBuilder<DemoDataLoad> load) => load.ToTable("DemoDataLoads");
}

/// <summary>
/// Whether this desk holds demo data, for the banner every page shows. Asked on every page, so the answer is kept:
/// "yes" for good (a demo desk never stops being one), "no" for a minute — demo data is loaded at start-up, before a
/// desk serves pages, or by the seed command into a desk that is stopped, so a minute-old "no" is at worst a minute late
/// on another desk.
/// </summary>
public sealed class DemoDataNotice(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DemoDataNotice> log)
{
    private static readonly TimeSpan NoKeptFor = TimeSpan.FromMinutes(1);
    private volatile bool _on;
    private long _noUntil; // Unix ms; 0: not asked yet

    public async Task<bool> IsOnAsync(CancellationToken ct = default)
    {
        if (_on) return true;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (now < Interlocked.Read(ref _noUntil)) return false;
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<Data.DeskDbContext>();
            _on = await db.Set<DemoDataLoad>().AnyAsync(ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            // A page that cannot reach the database says so itself; the banner is not worth a second error.
            log.LogWarning(e, "Could not read whether this desk holds demo data");
            return false;
        }
        Interlocked.Exchange(ref _noUntil, now + (long)NoKeptFor.TotalMilliseconds);
        return _on;
    }
}
