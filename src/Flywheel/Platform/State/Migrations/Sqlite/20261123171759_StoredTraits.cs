using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StoredTraits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cdp_customer_traits",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CustomerExternalId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OrdersCount = table.Column<int>(type: "INTEGER", nullable: false),
                    PaidOrders = table.Column<int>(type: "INTEGER", nullable: false),
                    TotalSpendMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    AovMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    RefundCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstOrderAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastOrderAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PreviousOrderAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AvgDaysBetweenOrders = table.Column<double>(type: "REAL", nullable: true),
                    CouponUseRate = table.Column<double>(type: "REAL", nullable: true),
                    FavouriteCategory = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    AcquisitionChannel = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cdp_customer_traits", x => new { x.WorkspaceId, x.CustomerExternalId });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cdp_customer_traits");
        }
    }
}
