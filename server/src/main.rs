//! The `kyodo` binary: see `app::setup` for what start-up does.

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    app::setup::run().await
}
