using System.Data.Common;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Desk.Web.Features.Reports;

/// <summary>
/// The reports' SQL runs as written, on the request's connection (inside its transaction, if any): parameters by name
/// (<c>@name</c>, which both providers read), times as Unix milliseconds and money in cents (as <see cref="StoredValues"/>
/// stores them), null as a NULL bigint — every nullable parameter of the reports is a number, and PostgreSQL must know a
/// parameter's type where <c>@x IS NULL</c> alone cannot tell it (a text filter is written into the SQL only when set).
/// </summary>
internal static class ReportSql
{
    public static async Task<DbCommand> CommandAsync(DeskDbContext db, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            if (value is null) parameter.DbType = System.Data.DbType.Int64;
            parameter.Value = value switch
            {
                null => DBNull.Value,
                DateTime at => StoredValues.UnixMilliseconds(at),
                TimeSpan span => (long)span.TotalMilliseconds,
                decimal money => (long)decimal.Round(money * 100, 0, MidpointRounding.AwayFromZero),
                _ => value,
            };
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>The admins' recovery settings (window, major-loss amount), or the defaults before any were saved.</summary>
    public static async Task<Desk.Domain.Recovery.RecoverySettings> SettingsAsync(DeskDbContext db, CancellationToken ct) =>
        await db.RecoverySettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? Desk.Domain.Recovery.RecoverySettings.Default;

    public static DateTime Time(long unixMilliseconds) => DateTime.UnixEpoch.AddMilliseconds(unixMilliseconds);

    public static decimal Money(long cents) => cents / 100m;
}
