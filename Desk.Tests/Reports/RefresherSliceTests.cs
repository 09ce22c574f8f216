using Desk.Web.Features.Reports;

namespace Desk.Tests.Reports;

/// <summary>The refresher's slices are sized by how long the last one took, so agents' writes never wait long behind one.</summary>
public sealed class RefresherSliceTests
{
    [Fact]
    public void NextSlice_SliceTookTwiceTheTarget_Halves() =>
        Assert.Equal(100, ReportOutcomesRefresher.NextSlice(200, 200, ReportOutcomesRefresher.SliceTarget * 2));

    [Fact]
    public void NextSlice_SliceTookTenTimesTheTarget_HalvesOnlyOnce() =>
        Assert.Equal(100, ReportOutcomesRefresher.NextSlice(200, 200, ReportOutcomesRefresher.SliceTarget * 10));

    [Fact]
    public void NextSlice_SliceWasQuick_GrowsAtMostDouble()
    {
        Assert.Equal(400, ReportOutcomesRefresher.NextSlice(200, 200, ReportOutcomesRefresher.SliceTarget / 10));
        Assert.Equal(300, ReportOutcomesRefresher.NextSlice(200, 200, ReportOutcomesRefresher.SliceTarget * 2 / 3));
    }

    [Fact]
    public void NextSlice_StaysWithinItsBounds()
    {
        Assert.Equal(ReportOutcomesRefresher.Batch, ReportOutcomesRefresher.NextSlice(1_500, 1_500, TimeSpan.Zero));
        Assert.Equal(10, ReportOutcomesRefresher.NextSlice(12, 12, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void NextSlice_OnPostgres_AimsAtItsLongerTarget()
    {
        var target = ReportOutcomesRefresher.SliceTargetOn(Desk.Web.Data.DatabaseProvider.Postgres);
        Assert.True(target > ReportOutcomesRefresher.SliceTargetOn(Desk.Web.Data.DatabaseProvider.Sqlite));
        // 20 customers in 10 ms: on SQLite too long (halved), on PostgreSQL short (doubled, toward 50 ms).
        Assert.Equal(10, ReportOutcomesRefresher.NextSlice(20, 20, TimeSpan.FromMilliseconds(10)));
        Assert.Equal(40, ReportOutcomesRefresher.NextSlice(20, 20, TimeSpan.FromMilliseconds(10), target));
    }

    [Fact]
    public void NextSlice_ShortLastSlice_KeepsTheSize() =>
        Assert.Equal(200, ReportOutcomesRefresher.NextSlice(200, 3, TimeSpan.FromTicks(1)));
}
