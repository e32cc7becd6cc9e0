//! The `kyodo` binary: see `app::setup` for what start-up does. `kyodo ceiling DIR ADDR` is
//! the benchmark's bare server instead ([`ceiling`]).

mod ceiling;

/// mimalloc instead of the system allocator: rendering a page allocates and frees many small
/// strings from several threads, where it is faster and keeps resident memory lower.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [command, dir, addr] = args.as_slice()
        && command == "ceiling"
    {
        return ceiling::run(dir, addr).await;
    }
    app::setup::run().await
}
