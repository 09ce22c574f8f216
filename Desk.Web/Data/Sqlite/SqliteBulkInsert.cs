using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Desk.Web.Data.Sqlite;

/// <summary>
/// Inserts many new rows of one entity type with one prepared statement, in the context's current transaction. For
/// imports of a million rows: EF's SaveChanges tracks each entity, builds a batch and reads each generated id back,
/// which made it most of an order import's time. The table, the columns and each value's conversion to the database
/// (UTC milliseconds, cents, see <see cref="StoredValues"/>) come from EF's model, so nothing here can drift from it.
/// Entities are written as they are: build them with their constructors, which check them. Their ids are not read back.
/// </summary>
public sealed class SqliteBulkInsert<T> : IBulkInsert<T> where T : class
{
    private readonly DbCommand _command;
    private readonly (IProperty Property, DbParameter Parameter, ValueConverter? Converter)[] _columns;

    public SqliteBulkInsert(DeskDbContext db)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A bulk insert runs inside the caller's write transaction (DeskDbContext.BeginWriteAsync).");
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never)).ToList();

        _command = transaction.Connection!.CreateCommand();
        _command.Transaction = transaction;
        _columns = new (IProperty, DbParameter, ValueConverter?)[properties.Count];
        for (var i = 0; i < properties.Count; i++)
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = "$p" + i;
            _command.Parameters.Add(parameter);
            _columns[i] = (properties[i], parameter, properties[i].GetTypeMapping().Converter);
        }
        var columns = string.Join(", ", properties.Select(p => $"\"{p.GetColumnName(table)}\""));
        var values = string.Join(", ", properties.Select((_, i) => "$p" + i));
        _command.CommandText = $"INSERT INTO \"{table.Name}\" ({columns}) VALUES ({values})";
        _command.Prepare();
    }

    public void Add(T row)
    {
        foreach (var (property, parameter, converter) in _columns)
        {
            var value = property.GetGetter().GetClrValue(row);
            if (value is not null && converter is not null) value = converter.ConvertToProvider(value);
            parameter.Value = value ?? DBNull.Value;
        }
        _command.ExecuteNonQuery();
    }

    /// <summary>Each row is written as it is added: nothing waits.</summary>
    public void Flush()
    {
    }

    public void Dispose() => _command.Dispose();
}
