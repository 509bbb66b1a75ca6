//! Server-rendered pages. For now only the landing page; the full web portal (search, dataset
//! pages, publishing in steps) is planned.

pub mod home;
pub mod sitemap;

pub use home::home;
