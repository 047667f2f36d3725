//! Reading helpers every service uses.

use std::future::Future;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Select};

/// `select.all_into(db, |row| …)`: every row a query finds, each made into what the caller
/// collects (a map by id, a list of names), in one step.
pub trait AllInto<E: EntityTrait> {
    fn all_into<'a, T, C, D>(
        self,
        db: &'a D,
        f: impl FnMut(E::Model) -> T + Send + 'a,
    ) -> impl Future<Output = Result<C, DbErr>> + Send + 'a
    where
        C: FromIterator<T> + 'a,
        T: 'a,
        D: ConnectionTrait;
}

impl<E: EntityTrait> AllInto<E> for Select<E>
where
    E::Model: Send + Sync,
{
    async fn all_into<'a, T, C, D>(
        self,
        db: &'a D,
        f: impl FnMut(E::Model) -> T + Send + 'a,
    ) -> Result<C, DbErr>
    where
        C: FromIterator<T> + 'a,
        T: 'a,
        D: ConnectionTrait,
    {
        Ok(self.all(db).await?.into_iter().map(f).collect())
    }
}
