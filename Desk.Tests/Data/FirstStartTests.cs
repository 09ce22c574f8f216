using Desk.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Data;

/// <summary>A new database is built under a temporary name and renamed into place: a killed first start leaves no half-migrated file.</summary>
public sealed class FirstStartTests
{
    private sealed class EmptyDesk : DeskWebFactory
    {
        public override int DemoTickets => 0;
        public override bool DeskCreatesItsDatabase => true;
    }

    [Fact]
    public async Task FirstStart_AfterOneThatWasKilled_DeletesItsLeftoverAndBuildsTheWholeDatabase()
    {
        using var desk = new EmptyDesk();
        var building = desk.Storage.Path + ".building";
        await File.WriteAllTextAsync(building, "half a database from a start that was killed");
        Assert.False(File.Exists(desk.Storage.Path));

        var response = await desk.CreateClient().GetAsync("/healthz");

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.False(File.Exists(building));
        await using var db = desk.Database.NewContext();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal("wal", (await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync()).ToLowerInvariant());
    }

    [Fact]
    public async Task FirstStart_NewSqliteFile_IsReadableByTheDesksUserOnlyWithItsWalAndShm()
    {
        if (OperatingSystem.IsWindows()) return; // no Unix modes there
        using var desk = new EmptyDesk();

        var response = await desk.CreateClient().GetAsync("/healthz"); // starts the desk, and writes
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        foreach (var file in new[] { desk.Storage.Path, desk.Storage.Path + "-wal", desk.Storage.Path + "-shm" })
            Assert.Equal((file, UnixFileMode.UserRead | UnixFileMode.UserWrite), (file, File.GetUnixFileMode(file)));
    }
}
