// LibPQ module.
