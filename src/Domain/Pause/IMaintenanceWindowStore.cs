using Thoras.Domain.Audit;

namespace Thoras.Domain.Pause;

/// <summary>Durable maintenance window definitions. Every change is stored together with its audit record.</summary>
public interface IMaintenanceWindowStore
{
    /// <summary>All windows, ordered by id.</summary>
    Task<IReadOnlyList<MaintenanceWindow>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new window with its audit record; false when a window with its id exists (nothing stored).</summary>
    Task<bool> AddAsync(MaintenanceWindow window, AuditRecord record, CancellationToken cancellationToken);

    /// <summary>Deletes the window with its audit record; false when there is no such window (nothing stored).</summary>
    Task<bool> DeleteAsync(string id, AuditRecord record, CancellationToken cancellationToken);
}
