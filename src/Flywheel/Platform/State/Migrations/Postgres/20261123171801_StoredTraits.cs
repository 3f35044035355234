using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Postgres
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
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CustomerExternalId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    OrdersCount = table.Column<int>(type: "integer", nullable: false),
                    PaidOrders = table.Column<int>(type: "integer", nullable: false),
                    TotalSpendMinor = table.Column<long>(type: "bigint", nullable: false),
                    AovMinor = table.Column<long>(type: "bigint", nullable: true),
                    RefundCount = table.Column<int>(type: "integer", nullable: false),
                    FirstOrderAt = table.Column<long>(type: "bigint", nullable: true),
                    LastOrderAt = table.Column<long>(type: "bigint", nullable: true),
                    PreviousOrderAt = table.Column<long>(type: "bigint", nullable: true),
                    AvgDaysBetweenOrders = table.Column<double>(type: "double precision", nullable: true),
                    CouponUseRate = table.Column<double>(type: "double precision", nullable: true),
                    FavouriteCategory = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    AcquisitionChannel = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
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
