using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderTimeIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ord_orders_WorkspaceId_PaidAt",
                table: "ord_orders",
                columns: new[] { "WorkspaceId", "PaidAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ord_orders_WorkspaceId_PlacedAt",
                table: "ord_orders",
                columns: new[] { "WorkspaceId", "PlacedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ord_orders_WorkspaceId_PaidAt",
                table: "ord_orders");

            migrationBuilder.DropIndex(
                name: "IX_ord_orders_WorkspaceId_PlacedAt",
                table: "ord_orders");
        }
    }
}
