//! Teacher profiles: listing them, and saving a profile's public title and text (the photo is
//! `services::images`).

use std::collections::HashMap;

use entity::{school, teacher};
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, QueryOrder, Set};

use crate::services::query::AllInto;
use crate::services::transaction::write;

/// Every teacher profile by name, with its school's name.
pub async fn all(db: &DatabaseConnection) -> Result<Vec<(teacher::Model, String)>, DbErr> {
    let names: HashMap<i32, String> = school::Entity::find()
        .all_into(db, |s| (s.id, s.name))
        .await?;
    Ok(teacher::Entity::find()
        .order_by_asc(teacher::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            let school = names.get(&t.school_id).cloned().unwrap_or_default();
            (t, school)
        })
        .collect())
}

/// A school's name.
pub async fn school_name(db: &DatabaseConnection, school_id: i32) -> Result<String, DbErr> {
    Ok(school::Entity::find_by_id(school_id)
        .one(db)
        .await?
        .map(|s| s.name)
        .unwrap_or_default())
}

/// Saves a profile's title (empty for none) and text.
pub async fn save(
    db: &DatabaseConnection,
    t: &teacher::Model,
    title: &str,
    bio: &str,
) -> Result<(), DbErr> {
    write(db, |txn| async move {
        let mut m: teacher::ActiveModel = t.clone().into();
        m.title = Set((!title.is_empty()).then(|| title.to_string()));
        m.bio = Set(bio.to_string());
        m.update(&txn).await?;
        Ok(())
    })
    .await
}
