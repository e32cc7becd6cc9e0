//! The `kyodo` binary: see `app::setup` for what start-up does. `kyodo ceiling DIR ADDR` is
//! the benchmark's bare server instead ([`ceiling`]).

mod ceiling;

/// mimalloc instead of the system allocator: rendering a page allocates and frees many small
/// strings from several threads, where it is faster and keeps resident memory lower.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Stack of each runtime thread, in bytes. A debug build renders a page with futures and view
/// types many times larger than a release build's; with compression and the per-request
/// caller wrapped around it, a project page overflowed tokio's default of 2 MiB. The space is
/// reserved, not resident, until used.
const THREAD_STACK_BYTES: usize = 16 * 1024 * 1024;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK_BYTES)
        .build()?;
    runtime.block_on(async {
        let args: Vec<String> = std::env::args().skip(1).collect();
        if let [command, dir, addr] = args.as_slice()
            && command == "ceiling"
        {
            return ceiling::run(dir, addr).await;
        }
        app::setup::run().await
    })
}
